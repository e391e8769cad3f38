/* bench-discovery.c: a discovery sweep of a simulated printer fleet, beside onesixtyone and
 * fusioninventory-netdiscovery sweeping the same fleet.
 *
 * Two fleets on loopback, each served by one snmpsimd: 127.20.0.0/24 with 250 printers and 4
 * silent addresses, and 127.21.0.0/20 with 2,000 printers among 4,094 addresses. Each printer
 * has its own serial number and MAC (a laser or a colour MFP from tests/fixtures/snmp); a
 * silent address swallows what it is sent, as an absent host does. Printwatch sweeps with
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

#include "printwatch-core.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define COMMUNITY           "public"
/* snmpsimd picks the recording by community, then by the endpoint's transport ID
 * (1.3.6.1.6.1.1.K for its K-th UDP endpoint); its default (v3) architecture names the
 * community's folder by the MD5 of the community, in hex. */
#define TRANSPORT_ID_PREFIX "1.3.6.1.6.1.1."
#define CEILING_IN_FLIGHT   200
#define CEILING_MIN_GETS    2000
/* fusioninventory-netdiscovery without --timeout: Job.pm's fallback, per silent address. */
#define FUSION_JOB_TIMEOUT_S 60
#define TOOL_TIMEOUT_S      1200
#define STOP_GRACE_S        5

typedef struct {
  const char *network;     /* as an admin types it */
  guint       n_printers;
} FleetSpec;

static const FleetSpec fleet_specs[] = {
  { "127.20.0.0/24", 250 },
  { "127.21.0.0/20", 2000 },
};

typedef struct {
  const FleetSpec *spec;
  char            *dir;         /* owned: recordings, host list, community file; removed at the end */
  GPtrArray       *hosts;       /* owned: every address of the network, in sweep order */
  GHashTable      *printers;    /* owned: the printers' addresses (borrowed from hosts) */
  guint16          port;
  PwTestAgent     *agent;       /* owned: the snmpsimd serving every printer */
  pid_t            server_pid;  /* its process, to read its CPU time; 0 if not found */
  GArray          *sinks;       /* owned: sockets that keep the silent addresses silent */
} Fleet;

typedef struct {
  char    *tool;            /* owned: name and settings */
  char    *note;            /* owned, nullable: why skipped, what did not match */
  gboolean ran;
  gboolean timed_out;
  gboolean exact;           /* reported exactly the simulated printers */
  guint    found;           /* printers reported at the printers' addresses */
  guint    wrong;           /* addresses reported as printers that are none */
  double   seconds;
  double   cpu_s;           /* the tool's own CPU time */
  double   server_cpu_s;    /* snmpsimd's CPU time meanwhile */
} Row;

static int     opt_fleet = 0;           /* 24, 20, or 0 for both */
static int     opt_fusion_threads = 16;
static int     opt_tool_timeout = TOOL_TIMEOUT_S;
static gboolean opt_no_peers = FALSE;

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static double
rusage_cpu_s (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* utime + stime of a process, from /proc/PID/stat (after the command name, which may hold
 * spaces and parentheses). */
static double
process_cpu_s (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (pid <= 0 || !g_file_get_contents (path, &contents, NULL, NULL)
      || (end = strrchr (contents, ')')) == NULL)
    return 0;
  fields = g_strsplit (end + 2, " ", 0);
  /* Fields 14 and 15 of the file; the state, field 3, is fields[0] here. */
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* PwTestAgent keeps its PID private: the snmpsimd among our children. */
static pid_t
find_server_pid (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *contents = NULL;
      const char *end;
      int ppid = 0;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &contents, NULL, NULL)
          || (end = strrchr (contents, ')')) == NULL || sscanf (end + 2, "%*c %d", &ppid) != 1)
        continue;
      if (ppid == getpid () && strstr (contents, "(snmpsimd)") != NULL)
        return (pid_t) g_ascii_strtoll (name, NULL, 10);
    }
  return 0;
}

/* Every host address of @network, as Printwatch sweeps it: networks up to /30 leave out their
 * network and broadcast addresses. */
static GPtrArray *
network_hosts (const char *network)
{
  g_auto(GStrv) parts = g_strsplit (network, "/", 2);
  GPtrArray *hosts = g_ptr_array_new_with_free_func (g_free);
  struct in_addr in;
  guint prefix = (guint) g_ascii_strtoull (parts[1], NULL, 10);
  guint32 base;
  guint32 count;

  g_assert (inet_pton (AF_INET, parts[0], &in) == 1 && prefix >= 8 && prefix <= 30);
  base = ntohl (in.s_addr);
  g_assert ((base >> 24) == 127);
  count = 1u << (32 - prefix);
  for (guint32 i = 1; i + 1 < count; i++)
    {
      struct in_addr host = { .s_addr = htonl (base + i) };
      char text[INET_ADDRSTRLEN];

      g_ptr_array_add (hosts, g_strdup (inet_ntop (AF_INET, &host, text, sizeof text)));
    }
  return hosts;
}

/* A fixture with its own serial number and a locally administered MAC, so that every
 * simulated printer is a printer of its own and none a second interface of another. */
static gboolean
write_recording (const char  *template,
                 guint        k,
                 const char  *path,
                 GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (template, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *bar = strrchr (lines[i], '|');

      if (*lines[i] == '\0')
        continue;
      if (g_str_has_prefix (lines[i], "1.3.6.1.2.1.43.5.1.1.17.1|"))
        g_string_append_printf (out, "1.3.6.1.2.1.43.5.1.1.17.1|4|BENCH-%05u\n", k);
      else if (g_str_has_prefix (lines[i], "1.3.6.1.2.1.2.2.1.6.") && strstr (lines[i], "|4x|") != NULL
               && bar != NULL && strlen (bar + 1) == 12)
        g_string_append_printf (out, "%.*s02000000%04x\n", (int) (bar + 1 - lines[i]), lines[i], k);
      else
        g_string_append_printf (out, "%s\n", lines[i]);
    }
  return g_file_set_contents_full (path, out->str, (gssize) out->len, G_FILE_SET_CONTENTS_NONE,
                                   0644, error);
}

/* On loopback an address where nothing listens answers with ICMP port unreachable at once;
 * an absent host on a LAN says nothing. A socket that is never read makes the address
 * silent: its queue takes the few probes a sweep sends. */
static gboolean
bind_sink (const char  *host,
           guint16      port,
           GArray      *sinks,
           GError     **error)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int saved_errno;

  inet_pton (AF_INET, host, &sin.sin_addr);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &sin, sizeof sin) == 0)
    {
      g_array_append_val (sinks, fd);
      return TRUE;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Cannot bind %s:%u to keep it silent: %s", host, port, g_strerror (saved_errno));
  return FALSE;
}

static void
fleet_free (Fleet *fleet)
{
  g_clear_pointer (&fleet->agent, pw_test_agent_stop);
  for (guint i = 0; fleet->sinks != NULL && i < fleet->sinks->len; i++)
    close (g_array_index (fleet->sinks, int, i));
  g_clear_pointer (&fleet->sinks, g_array_unref);
  if (fleet->dir != NULL)
    pw_test_remove_tree (fleet->dir);
  g_free (fleet->dir);
  g_clear_pointer (&fleet->printers, g_hash_table_unref);
  g_clear_pointer (&fleet->hosts, g_ptr_array_unref);
  g_free (fleet);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fleet, fleet_free)

static char *
fleet_path (Fleet      *fleet,
            const char *name)
{
  return g_build_filename (fleet->dir, name, NULL);
}

static Fleet *
fleet_start (const FleetSpec  *spec,
             GError          **error)
{
  g_autoptr(Fleet) fleet = g_new0 (Fleet, 1);
  g_autofree char *laser_path = g_build_filename (pw_test_fixtures_dir (), "generic-laser.snmprec", NULL);
  g_autofree char *mfp_path = g_build_filename (pw_test_fixtures_dir (), "generic-colour-mfp.snmprec", NULL);
  g_autofree char *laser = NULL;
  g_autofree char *mfp = NULL;
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, COMMUNITY, -1);
  g_autofree char *data = NULL;
  g_autofree char *by_endpoint = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *host_list = NULL;
  g_autofree char *community_file = NULL;
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) hosts_text = g_string_new (NULL);
  guint n_hosts;

  fleet->spec = spec;
  fleet->hosts = network_hosts (spec->network);
  fleet->printers = g_hash_table_new (g_str_hash, g_str_equal);
  fleet->sinks = g_array_new (FALSE, FALSE, sizeof (int));
  n_hosts = fleet->hosts->len;
  g_assert (spec->n_printers <= n_hosts);
  if (!g_file_get_contents (laser_path, &laser, NULL, error)
      || !g_file_get_contents (mfp_path, &mfp, NULL, error))
    return NULL;

  fleet->dir = pw_test_make_tmpdir ();
  data = fleet_path (fleet, "data");
  by_endpoint = g_build_filename (data, md5, NULL);
  fallback = g_build_filename (data, COMMUNITY ".snmprec", NULL);
  /* snmpsimd runs as nobody when we are root: everything readable. */
  if (g_chmod (fleet->dir, 0755) != 0 || g_mkdir (data, 0755) != 0 || g_mkdir (by_endpoint, 0755) != 0
      || symlink (laser_path, fallback) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot lay out %s", data);
      return NULL;
    }

  /* The printers spread evenly over the network (Bresenham), the rest silent. */
  fleet->port = pw_test_free_udp_port (g_ptr_array_index (fleet->hosts, 0));
  for (guint i = 0; i < n_hosts; i++)
    {
      const char *host = g_ptr_array_index (fleet->hosts, i);

      g_string_append_printf (hosts_text, "%s\n", host);
      if ((guint64) (i + 1) * spec->n_printers / n_hosts > (guint64) i * spec->n_printers / n_hosts)
        {
          guint k = endpoints->len;
          g_autofree char *name = g_strdup_printf (TRANSPORT_ID_PREFIX "%u.snmprec", k);
          g_autofree char *path = g_build_filename (by_endpoint, name, NULL);

          if (!write_recording (k % 2 == 0 ? laser : mfp, k, path, error))
            return NULL;
          g_ptr_array_add (endpoints, g_strdup_printf ("%s:%u", host, fleet->port));
          g_hash_table_add (fleet->printers, (gpointer) host);
        }
      else if (!bind_sink (host, fleet->port, fleet->sinks, error))
        return NULL;
    }
  g_assert_cmpuint (endpoints->len, ==, spec->n_printers);

  host_list = fleet_path (fleet, "hosts");
  community_file = fleet_path (fleet, "communities");
  if (!g_file_set_contents (host_list, hosts_text->str, -1, error)
      || !g_file_set_contents (community_file, COMMUNITY "\n", -1, error))
    return NULL;

  g_ptr_array_add (endpoints, NULL);
  fleet->agent = pw_test_snmpsim_start (data, (const char * const *) endpoints->pdata, error);
  if (fleet->agent == NULL)
    return NULL;
  fleet->server_pid = find_server_pid ();
  return g_steal_pointer (&fleet);
}

/* ---- Printwatch ---- */

typedef struct {
  GMainLoop *loop;
  GPtrArray *results;
  GError    *error;
  guint      pending;
  guint      answered;
  gint64     start;
  gint64     last_found;
  pid_t      server_pid;
  double     server_at_found;  /* snmpsimd's CPU time when the last printer was found */
} Run;

static void
found_cb (PwDiscovery       *discovery,
          PwDiscoveryResult *result,
          Run               *run)
{
  run->last_found = g_get_monotonic_time ();
  run->server_at_found = process_cpu_s (run->server_pid);
}

static void
swept_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Run *run = user_data;

  run->results = pw_discovery_run_finish (PW_DISCOVERY (source), res, &run->error);
  g_main_loop_quit (run->loop);
}

static void
run_printwatch (Fleet   *fleet,
                gboolean with_store,
                Row     *row)
{
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwStore) store = NULL;
  g_autoptr(PwDiscovery) discovery = NULL;
  g_autoptr(PwTargetSpec) targets = NULL;
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *db = fleet_path (fleet, "discovery.db");
  g_autofree char *spec_text = g_strdup_printf ("%s:%u", fleet->spec->network, fleet->port);
  Run run = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0, 0, 0, fleet->server_pid, 0 };
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
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, COMMUNITY, NULL));
  g_signal_connect (discovery, "found", G_CALLBACK (found_cb), &run);

  cpu0 = rusage_cpu_s (RUSAGE_SELF);
  server0 = process_cpu_s (fleet->server_pid);
  run.start = g_get_monotonic_time ();
  pw_discovery_run_async (discovery, targets, credentials, NULL, swept_cb, &run);
  g_main_loop_run (run.loop);
  row->seconds = seconds_since (run.start);
  row->cpu_s = rusage_cpu_s (RUSAGE_SELF) - cpu0;
  row->server_cpu_s = process_cpu_s (fleet->server_pid) - server0;
  row->ran = TRUE;
  g_main_loop_unref (run.loop);

  if (run.results == NULL)
    {
      row->note = g_strdup_printf ("sweep failed: %s", run.error->message);
      g_error_free (run.error);
      return;
    }
  for (guint i = 0; i < run.results->len; i++)
    {
      PwDiscoveryResult *result = run.results->pdata[i];
      gboolean printer = result->outcome == PW_DISCOVERY_PRINTER && !result->duplicate;

      if (printer && g_hash_table_contains (fleet->printers, result->host))
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
  if (row->note == NULL && run.last_found > 0)
    {
      double found_s = (run.last_found - run.start) / (double) G_USEC_PER_SEC;

      row->note = g_strdup_printf ("last printer found after %.2f s (snmpsimd busy %.0f%% until then); "
                                   "the rest waits out silent addresses (%u ms, then %u retry)",
                                   found_s, (run.server_at_found - server0) / found_s * 100,
                                   pw_snmp_engine_get_timeout (engine),
                                   pw_snmp_engine_get_retries (engine));
    }
  g_ptr_array_unref (run.results);
}

static void
ceiling_got_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GPtrArray) varbinds = pw_snmp_engine_get_finish (PW_SNMP_ENGINE (source), res, NULL);

  run->answered += varbinds != NULL;
  if (--run->pending == 0)
    g_main_loop_quit (run->loop);
}

/* The simulator's own limit, so nobody takes it for ours: GETs of sysDescr.0 round the
 * printers, many in flight, at least CEILING_MIN_GETS of them. Returns answers per second;
 * *busy the share of the wall time snmpsimd spent on the CPU. */
static double
measure_server_ceiling (Fleet  *fleet,
                        double *busy)
{
  static const char * const oids[] = { "1.3.6.1.2.1.1.1.0", NULL };
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwSnmpCredentials) credentials =
    pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, COMMUNITY, NULL);
  Run run = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0, 0, 0, 0, 0 };
  double server0 = process_cpu_s (fleet->server_pid);
  double seconds;
  gint64 start;

  pw_snmp_engine_set_concurrency (engine, CEILING_IN_FLIGHT);
  start = g_get_monotonic_time ();
  while (run.pending < CEILING_MIN_GETS)
    for (guint i = 0; i < fleet->hosts->len; i++)
      {
        const char *host = g_ptr_array_index (fleet->hosts, i);

        if (!g_hash_table_contains (fleet->printers, host))
          continue;
        run.pending++;
        pw_snmp_engine_get_async (engine, host, fleet->port, credentials, oids, NULL, ceiling_got_cb, &run);
      }
  g_main_loop_run (run.loop);
  seconds = seconds_since (start);
  g_main_loop_unref (run.loop);
  *busy = (process_cpu_s (fleet->server_pid) - server0) / seconds;
  return run.answered / seconds;
}

/* ---- the peers ---- */

typedef struct {
  GMainLoop *loop;
  GPid       pid;
  int        wait_status;
  gboolean   exited;
  gboolean   timed_out;
  guint      kill_id;
} Child;

static void
tool_child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  /* Its own process group, stopped as one (fusioninventory runs arp through sh); gone with us. */
  setpgid (0, 0);
  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != parent)
    _exit (126);
}

static void
tool_exited_cb (GPid     pid,
                int      wait_status,
                gpointer user_data)
{
  Child *child = user_data;

  child->wait_status = wait_status;
  child->exited = TRUE;
  g_spawn_close_pid (pid);
  g_main_loop_quit (child->loop);
}

static gboolean
tool_kill_cb (gpointer user_data)
{
  Child *child = user_data;

  /* TERM first, KILL if it lingers: the group is the tool and what it started. */
  if (kill (-child->pid, child->timed_out ? SIGKILL : SIGTERM) != 0)
    kill (child->pid, child->timed_out ? SIGKILL : SIGTERM);
  if (child->timed_out)
    {
      child->kill_id = 0;
      return G_SOURCE_REMOVE;
    }
  child->timed_out = TRUE;
  child->kill_id = g_timeout_add_seconds (STOP_GRACE_S, tool_kill_cb, child);
  return G_SOURCE_REMOVE;
}

/* Runs @argv with stdout to @out_path and stderr to @err_path, at most opt_tool_timeout
 * seconds; fills the row's times. */
static gboolean
run_tool (Fleet               *fleet,
          const char * const  *argv,
          const char          *out_path,
          const char          *err_path,
          Row                 *row,
          GError             **error)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  Child child = { g_main_loop_new (NULL, FALSE), 0, 0, FALSE, FALSE, 0 };
  int out_fd = g_open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = g_open (err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  double cpu0 = rusage_cpu_s (RUSAGE_CHILDREN);
  double server0 = process_cpu_s (fleet->server_pid);
  gboolean ok;
  gint64 start = g_get_monotonic_time ();

  ok = out_fd >= 0 && err_fd >= 0
       && g_spawn_async_with_pipes_and_fds (NULL, argv, (const char * const *) envp,
                                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                                            tool_child_setup, GINT_TO_POINTER (getpid ()),
                                            -1, out_fd, err_fd, NULL, NULL, 0,
                                            &child.pid, NULL, NULL, NULL, error);
  if (out_fd >= 0)
    close (out_fd);
  if (err_fd >= 0)
    close (err_fd);
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", out_path);
      g_main_loop_unref (child.loop);
      return FALSE;
    }
  g_child_watch_add (child.pid, tool_exited_cb, &child);
  child.kill_id = g_timeout_add_seconds ((guint) opt_tool_timeout, tool_kill_cb, &child);
  g_main_loop_run (child.loop);
  g_clear_handle_id (&child.kill_id, g_source_remove);
  g_main_loop_unref (child.loop);

  row->ran = TRUE;
  row->timed_out = child.timed_out;
  row->seconds = seconds_since (start);
  row->cpu_s = rusage_cpu_s (RUSAGE_CHILDREN) - cpu0;
  row->server_cpu_s = process_cpu_s (fleet->server_pid) - server0;
  if (!child.timed_out && !g_spawn_check_wait_status (child.wait_status, error))
    return FALSE;
  return TRUE;
}

/* Each answer is a line "ADDRESS [COMMUNITY] sysDescr". */
static void
count_onesixtyone (Fleet      *fleet,
                   const char *out_path,
                   Row        *row)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (out_path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *mark = strstr (lines[i], " [" COMMUNITY "] ");
      g_autofree char *host = mark != NULL ? g_strndup (lines[i], (gsize) (mark - lines[i])) : NULL;

      if (host == NULL)
        continue;
      if (g_hash_table_contains (fleet->printers, host))
        row->found++;
      else
        row->wrong++;
    }
  row->exact = row->found == fleet->spec->n_printers && row->wrong == 0;
}

static void
run_onesixtyone (Fleet *fleet,
                 int    wait_ms,
                 Row   *row)
{
  g_autofree char *program = g_find_program_in_path ("onesixtyone");
  g_autofree char *hosts = fleet_path (fleet, "hosts");
  g_autofree char *communities = fleet_path (fleet, "communities");
  g_autofree char *out = fleet_path (fleet, "onesixtyone.out");
  g_autofree char *err = fleet_path (fleet, "onesixtyone.err");
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
  if (!run_tool (fleet, argv, out, err, row, &error))
    row->note = g_strdup_printf ("failed: %s", error->message);
  count_onesixtyone (fleet, out, row);
  if (row->note == NULL)
    row->note = g_strdup ("found: addresses that answered one GET of sysDescr.0; it identifies nothing");
}

/* Its XML lists each address it saw: <DEVICE> with <IP>, then <AUTHSNMP> if SNMP answered
 * and <TYPE>PRINTER</TYPE> if it took it for a printer. Every loopback address answers its
 * ICMP ping, so every address is listed; only the printers count. */
static guint
count_fusioninventory (Fleet      *fleet,
                       const char *out_path,
                       Row        *row)
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
      if (g_hash_table_contains (fleet->printers, ip + strlen ("<IP>")))
        row->found++;
      else
        row->wrong++;
    }
  row->exact = row->found == fleet->spec->n_printers && row->wrong == 0;
  return listed;
}

/* @timeout_s: its --timeout, or 0 to leave it out. */
static void
run_fusioninventory (Fleet *fleet,
                     guint  timeout_s,
                     Row   *row)
{
  g_autofree char *program = g_find_program_in_path ("fusioninventory-netdiscovery");
  g_autofree char *out = fleet_path (fleet, "fusioninventory.out");
  g_autofree char *err = fleet_path (fleet, "fusioninventory.err");
  g_autofree char *port = g_strdup_printf ("%u", fleet->port);
  g_autofree char *threads = g_strdup_printf ("%d", opt_fusion_threads);
  g_autofree char *timeout = g_strdup_printf ("%u", timeout_s);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { program, "--first", g_ptr_array_index (fleet->hosts, 0),
                         "--last", g_ptr_array_index (fleet->hosts, fleet->hosts->len - 1),
                         "--port", port, "--community", COMMUNITY, "--threads", threads,
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
  if (!run_tool (fleet, argv, out, err, row, &error))
    row->note = g_strdup_printf ("failed: %s", error->message);
  listed = count_fusioninventory (fleet, out, row);
  if (row->note == NULL)
    row->note = g_strdup_printf ("found: <TYPE>PRINTER</TYPE>; it also pings (ICMP%s) and asks NetBIOS "
                                 "(UDP 137) each address, and lists all %u as every loopback "
                                 "address answers the ping", geteuid () == 0 ? "" : ", needs root",
                                 listed);
  if (row->timed_out)
    {
      g_free (row->note);
      row->note = listed > 0
        ? g_strdup_printf ("stopped after %d s with %u of %u addresses listed: a whole sweep "
                           "extrapolates to about %.0f s", opt_tool_timeout, listed,
                           fleet->hosts->len, row->seconds * fleet->hosts->len / listed)
        : g_strdup_printf ("stopped after %d s, nothing listed yet", opt_tool_timeout);
    }
}

/* ---- the figures ---- */

static void
print_fleet (Fleet  *fleet,
             Row    *rows,
             guint   n_rows,
             double  ceiling,
             double  ceiling_busy)
{
  const Row *reference = NULL;
  guint n_hosts = fleet->hosts->len;

  for (guint i = 0; i < n_rows; i++)
    if (rows[i].ran && g_str_has_prefix (rows[i].tool, "Printwatch, SQLite"))
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

      if (!row->ran)
        {
          g_print ("%-52s %6s\n    %s\n", row->tool, "-", row->note != NULL ? row->note : "skipped");
          continue;
        }
      g_print ("%-52s %6u %9u %8.2f %8.0f %7.2f %6.0f%% ", row->tool, n_hosts, row->found,
               row->seconds, n_hosts / row->seconds, row->cpu_s,
               row->server_cpu_s / row->seconds * 100);
      if (reference != NULL)
        g_print ("%7.2f×", row->seconds / reference->seconds);
      g_print ("%s%s%s\n", row->exact ? "" : "  (not exactly the printers)",
               row->timed_out ? "  (TIMED OUT)" : "",
               row->server_cpu_s / row->seconds >= 0.85 ? "  (simulator-bound)" : "");
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

      if (!row->ran || row->timed_out)
        continue;
      /* Every run of a peer is judged, its defaults and its tuned settings alike. */
      if (g_str_has_prefix (row->tool, "fusioninventory"))
        g_print ("target ≥10× faster than %s: %.1f× (%s)\n", row->tool,
                 row->seconds / reference->seconds,
                 row->seconds / reference->seconds >= 10 ? "met" : "NOT met");
      else if (g_str_has_prefix (row->tool, "onesixtyone"))
        g_print ("target within 2× of %s: %.2f× its time (%s)\n", row->tool,
                 reference->seconds / row->seconds,
                 reference->seconds / row->seconds <= 2 ? "met" : "NOT met");
    }
}

static char *
tool_version (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char *line;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, &out, &err, NULL, NULL))
    return g_strdup ("not installed");
  line = out != NULL && *out != '\0' ? out : err;
  line[strcspn (line, "\n")] = '\0';
  /* onesixtyone tells its version only in its usage line. */
  if (g_str_has_prefix (line, "onesixtyone ") && strstr (line, " [") != NULL)
    *strstr (line, " [") = '\0';
  /* snmpsimd adds its author. */
  if (strstr (line, ", written by") != NULL)
    *strstr (line, ", written by") = '\0';
  return g_strdup (line);
}

static void
raise_fd_limit (void)
{
  struct rlimit limit;

  /* A silent address holds a socket: a /20 needs two thousand. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
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
  /* Run directly, outside meson's environment: the fixtures are in the source tree. */
  g_setenv ("G_TEST_SRCDIR", BENCH_TESTS_SRCDIR, FALSE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  raise_fd_limit ();

  sim_version = tool_version (vsim);
  version_161 = tool_version (v161);
  version_fusion = tool_version (vfusion);
  g_print ("Discovery benchmark: one snmpsimd serves every printer on 127.0.0.0/8 (loopback only).\n");
  g_print ("%s; %s; %s\n", sim_version, version_161, version_fusion);
  g_print ("%ld CPUs online; running as %s; Printwatch with PwSnmpEngine defaults "
           "(%u in flight, %u ms timeout, %u retry), SNMPv2c community \"%s\".\n",
           sysconf (_SC_NPROCESSORS_ONLN), geteuid () == 0 ? "root" : "an ordinary user",
           PW_SNMP_ENGINE_DEFAULT_CONCURRENCY, PW_SNMP_ENGINE_DEFAULT_TIMEOUT,
           PW_SNMP_ENGINE_DEFAULT_RETRIES, COMMUNITY);
  g_print ("All three tools take a port option: the fleet runs on a free unprivileged port, not 161.\n"
           "seconds: wall time of the whole sweep (for the peers, from exec to exit); CPU s: the\n"
           "tool's own CPU time; server busy: snmpsimd's CPU time over the wall time (near 100%%,\n"
           "the simulator, not the tool, sets the pace); time vs Printw.: seconds over those of\n"
           "Printwatch with its SQLite store.\n");

  for (guint f = 0; f < G_N_ELEMENTS (fleet_specs); f++)
    {
      const FleetSpec *spec = &fleet_specs[f];
      g_autoptr(Fleet) fleet = NULL;
      Row rows[6] = { { 0 } };
      guint n_rows = opt_no_peers ? 2 : G_N_ELEMENTS (rows);
      double ceiling, ceiling_busy = 0;
      gint64 start;

      if (opt_fleet != 0 && !g_str_has_suffix (spec->network, opt_fleet == 24 ? "/24" : "/20"))
        continue;
      start = g_get_monotonic_time ();
      fleet = fleet_start (spec, &error);
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
      g_print ("\n[%s fleet up in %.1f s]\n", spec->network, seconds_since (start));

      ceiling = measure_server_ceiling (fleet, &ceiling_busy);
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
