/* bench-fleet.c: a simulated printer fleet on loopback for the benchmarks, and the running
 * and measuring of the peer tools they compare against.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-fleet"

#include "bench-fleet.h"

#include "printwatch-core.h"
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
#include <sys/wait.h>
#include <unistd.h>

/* snmpsimd picks the recording by community, then by the endpoint's transport ID
 * (1.3.6.1.6.1.1.K for its K-th UDP endpoint); its default (v3) architecture names the
 * community's folder by the MD5 of the community, in hex. */
#define TRANSPORT_ID_PREFIX "1.3.6.1.6.1.1."
#define STOP_GRACE_S        5
/* How often a running tool is looked at: the resolution of its wall time. */
#define REAP_INTERVAL_US    2000

double
pw_bench_seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static double
timeval_s (const struct timeval *tv)
{
  return tv->tv_sec + tv->tv_usec / 1e6;
}

/* User + system time of every thread of this process. */
double
pw_bench_self_cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return timeval_s (&usage.ru_utime) + timeval_s (&usage.ru_stime);
}

/* The process's peak resident set so far; Linux counts ru_maxrss in KiB. */
double
pw_bench_self_peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* utime + stime of a process, from /proc/PID/stat (after the command name, which may hold
 * spaces and parentheses). */
double
pw_bench_process_cpu_s (pid_t pid)
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

/* PwTestAgent keeps its PID private: the snmpsimd among our children started last (fleets
 * side by side have one each). */
static pid_t
find_server_pid (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  unsigned long long latest = 0;
  pid_t found = 0;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *contents = NULL;
      const char *end;
      unsigned long long started = 0;
      int ppid = 0;

      /* After the command name: state, ppid, then starttime is the 20th field. */
      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &contents, NULL, NULL)
          || (end = strrchr (contents, ')')) == NULL
          || sscanf (end + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                     &ppid, &started) != 2)
        continue;
      if (ppid == getpid () && strstr (contents, "(snmpsimd)") != NULL && started >= latest)
        {
          latest = started;
          found = (pid_t) g_ascii_strtoll (name, NULL, 10);
        }
    }
  return found;
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

/* A fixture with its own serial number, page count and a locally administered MAC, so that
 * every simulated printer is a printer of its own, none a second interface of another, and a
 * poll that mixed two up would show. Fills in the printer's serial and total. */
static gboolean
write_recording (const char      *template,
                 PwBenchPrinter  *printer,
                 const char      *path,
                 GError         **error)
{
  g_auto(GStrv) lines = g_strsplit (template, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  guint k = printer->index;

  printer->serial = g_strdup_printf ("BENCH-%05u", k);
  printer->total = -1;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *bar = strrchr (lines[i], '|');

      if (*lines[i] == '\0')
        continue;
      if (g_str_has_prefix (lines[i], PW_BENCH_SERIAL_OID "|"))
        g_string_append_printf (out, PW_BENCH_SERIAL_OID "|4|%s\n", printer->serial);
      else if (g_str_has_prefix (lines[i], PW_BENCH_TOTAL_OID "|65|"))
        {
          printer->total = g_ascii_strtoll (bar + 1, NULL, 10) + k;
          g_string_append_printf (out, PW_BENCH_TOTAL_OID "|65|%" G_GINT64_FORMAT "\n", printer->total);
        }
      else if (g_str_has_prefix (lines[i], "1.3.6.1.2.1.2.2.1.6.") && strstr (lines[i], "|4x|") != NULL
               && bar != NULL && strlen (bar + 1) == 12)
        g_string_append_printf (out, "%.*s02000000%04x\n", (int) (bar + 1 - lines[i]), lines[i], k);
      else
        g_string_append_printf (out, "%s\n", lines[i]);
    }
  g_assert (printer->total >= 0);  /* the fixtures have one marker */
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
printer_free (PwBenchPrinter *printer)
{
  g_free (printer->serial);
  g_free (printer);
}

void
pw_bench_fleet_free (PwBenchFleet *fleet)
{
  g_clear_pointer (&fleet->agent, pw_test_agent_stop);
  for (guint i = 0; fleet->sinks != NULL && i < fleet->sinks->len; i++)
    close (g_array_index (fleet->sinks, int, i));
  g_clear_pointer (&fleet->sinks, g_array_unref);
  if (fleet->dir != NULL && g_getenv ("PW_BENCH_KEEP") != NULL)
    g_print ("PW_BENCH_KEEP: kept %s\n", fleet->dir);
  else if (fleet->dir != NULL)
    pw_test_remove_tree (fleet->dir);
  g_free (fleet->dir);
  g_clear_pointer (&fleet->by_host, g_hash_table_unref);
  g_clear_pointer (&fleet->printers, g_ptr_array_unref);
  g_clear_pointer (&fleet->hosts, g_ptr_array_unref);
  g_free (fleet);
}

char *
pw_bench_fleet_path (PwBenchFleet *fleet,
                     const char   *name)
{
  return g_build_filename (fleet->dir, name, NULL);
}

/* The printer at @host, or NULL for a silent address. */
PwBenchPrinter *
pw_bench_fleet_lookup (PwBenchFleet *fleet,
                       const char   *host)
{
  return g_hash_table_lookup (fleet->by_host, host);
}

/* Lays out the recordings and starts snmpsimd; writes "hosts" (every address, one a line)
 * and "communities" (PW_BENCH_COMMUNITY) in the fleet's directory for the peers. */
PwBenchFleet *
pw_bench_fleet_start (const PwBenchFleetSpec  *spec,
                      GError                 **error)
{
  g_autoptr(PwBenchFleet) fleet = g_new0 (PwBenchFleet, 1);
  g_autofree char *laser_path = g_build_filename (pw_test_fixtures_dir (), "generic-laser.snmprec", NULL);
  g_autofree char *mfp_path = g_build_filename (pw_test_fixtures_dir (), "generic-colour-mfp.snmprec", NULL);
  g_autofree char *laser = NULL;
  g_autofree char *mfp = NULL;
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, PW_BENCH_COMMUNITY, -1);
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
  fleet->printers = g_ptr_array_new_with_free_func ((GDestroyNotify) printer_free);
  fleet->by_host = g_hash_table_new (g_str_hash, g_str_equal);
  fleet->sinks = g_array_new (FALSE, FALSE, sizeof (int));
  n_hosts = fleet->hosts->len;
  g_assert (spec->n_printers <= n_hosts);
  if (!g_file_get_contents (laser_path, &laser, NULL, error)
      || !g_file_get_contents (mfp_path, &mfp, NULL, error))
    return NULL;

  fleet->dir = pw_test_make_tmpdir ();
  data = pw_bench_fleet_path (fleet, "data");
  by_endpoint = g_build_filename (data, md5, NULL);
  fallback = g_build_filename (data, PW_BENCH_COMMUNITY ".snmprec", NULL);
  /* snmpsimd runs as nobody when we are root: everything readable. */
  if (g_chmod (fleet->dir, 0755) != 0 || g_mkdir (data, 0755) != 0 || g_mkdir (by_endpoint, 0755) != 0
      || symlink (laser_path, fallback) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot lay out %s", data);
      return NULL;
    }

  /* The printers spread evenly over the network (Bresenham), the rest silent. */
  fleet->port = spec->port != 0 ? spec->port : pw_test_free_udp_port (g_ptr_array_index (fleet->hosts, 0));
  for (guint i = 0; i < n_hosts; i++)
    {
      const char *host = g_ptr_array_index (fleet->hosts, i);

      g_string_append_printf (hosts_text, "%s\n", host);
      if ((guint64) (i + 1) * spec->n_printers / n_hosts > (guint64) i * spec->n_printers / n_hosts)
        {
          PwBenchPrinter *printer = g_new0 (PwBenchPrinter, 1);
          g_autofree char *name = g_strdup_printf (TRANSPORT_ID_PREFIX "%u.snmprec", endpoints->len);
          g_autofree char *path = g_build_filename (by_endpoint, name, NULL);

          printer->host = host;
          printer->index = spec->first_index + endpoints->len;
          g_ptr_array_add (fleet->printers, printer);
          g_hash_table_insert (fleet->by_host, (gpointer) host, printer);
          if (!write_recording (printer->index % 2 == 0 ? laser : mfp, printer, path, error))
            return NULL;
          g_ptr_array_add (endpoints, g_strdup_printf ("%s:%u", host, fleet->port));
        }
      else if (!bind_sink (host, fleet->port, fleet->sinks, error))
        return NULL;
    }
  g_assert_cmpuint (endpoints->len, ==, spec->n_printers);

  host_list = pw_bench_fleet_path (fleet, "hosts");
  community_file = pw_bench_fleet_path (fleet, "communities");
  if (!g_file_set_contents (host_list, hosts_text->str, -1, error)
      || !g_file_set_contents (community_file, PW_BENCH_COMMUNITY "\n", -1, error))
    return NULL;

  g_ptr_array_add (endpoints, NULL);
  fleet->agent = pw_test_snmpsim_start (data, (const char * const *) endpoints->pdata, error);
  if (fleet->agent == NULL)
    return NULL;
  fleet->server_pid = find_server_pid ();
  return g_steal_pointer (&fleet);
}

/* ---- the simulator's own limit ---- */

typedef struct {
  GMainLoop *loop;
  guint      pending;
  guint      answered;
} Ceiling;

static void
ceiling_got_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Ceiling *ceiling = user_data;
  g_autoptr(GPtrArray) varbinds = pw_snmp_engine_get_finish (PW_SNMP_ENGINE (source), res, NULL);

  ceiling->answered += varbinds != NULL;
  if (--ceiling->pending == 0)
    g_main_loop_quit (ceiling->loop);
}

/* So that nobody takes the simulator's limit for ours: GETs of sysDescr.0 round the
 * printers, @in_flight at once, at least @min_gets of them. Returns answers per second;
 * *busy the share of the wall time snmpsimd spent on the CPU. */
double
pw_bench_fleet_measure_ceiling (PwBenchFleet *fleet,
                                guint         in_flight,
                                guint         min_gets,
                                double       *busy)
{
  static const char * const oids[] = { "1.3.6.1.2.1.1.1.0", NULL };
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwSnmpCredentials) credentials =
    pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, PW_BENCH_COMMUNITY, NULL);
  Ceiling ceiling = { g_main_loop_new (NULL, FALSE), 0, 0 };
  double server0 = pw_bench_process_cpu_s (fleet->server_pid);
  double seconds;
  gint64 start;

  g_assert (fleet->printers->len > 0);
  pw_snmp_engine_set_concurrency (engine, in_flight);
  start = g_get_monotonic_time ();
  while (ceiling.pending < min_gets)
    for (guint i = 0; i < fleet->printers->len; i++)
      {
        PwBenchPrinter *printer = fleet->printers->pdata[i];

        ceiling.pending++;
        pw_snmp_engine_get_async (engine, printer->host, fleet->port, credentials, oids, NULL,
                                  ceiling_got_cb, &ceiling);
      }
  g_main_loop_run (ceiling.loop);
  seconds = pw_bench_seconds_since (start);
  g_main_loop_unref (ceiling.loop);
  *busy = (pw_bench_process_cpu_s (fleet->server_pid) - server0) / seconds;
  return ceiling.answered / seconds;
}

/* ---- the peers ---- */

static void
tool_child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  /* Its own process group, stopped as one (fusioninventory runs arp through sh, a shell
   * loop its commands); gone with us. */
  setpgid (0, 0);
  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != parent)
    _exit (126);
}

static void
signal_group (pid_t pid,
              int   signum)
{
  if (kill (-pid, signum) != 0)
    kill (pid, signum);
}

/* What bench-spawn wrote of the tool it ran, if it could. */
static gboolean
read_spawn_report (const char *path,
                   PwBenchRun *run)
{
  g_autofree char *contents = NULL;
  long maxrss_kb = 0;
  char user_s[32], system_s[32];

  if (!g_file_get_contents (path, &contents, NULL, NULL)
      || sscanf (contents, "%ld %31s %31s", &maxrss_kb, user_s, system_s) != 3)
    return FALSE;
  run->peak_rss_mb = maxrss_kb / 1024.0;
  run->cpu_s = g_ascii_strtod (user_s, NULL) + g_ascii_strtod (system_s, NULL);
  return TRUE;
}

/* Runs @argv with stdout to @out_path and stderr to @err_path, at most @timeout_s seconds
 * (then TERM to its process group, KILL after STOP_GRACE_S); fills @run. It runs under
 * bench-spawn, which gives its CPU time and peak resident set, those of its descendants
 * included: the CPU time of the whole tree, the peak of its largest process. */
gboolean
pw_bench_run_tool (PwBenchFleet        *fleet,
                   const char * const  *argv,
                   const char          *out_path,
                   const char          *err_path,
                   guint                timeout_s,
                   PwBenchRun          *run,
                   GError             **error)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  g_autofree char *report = g_strconcat (out_path, ".rusage", NULL);
  g_autoptr(GPtrArray) spawn_argv = g_ptr_array_new ();
  int out_fd = g_open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = g_open (err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  double server0 = pw_bench_process_cpu_s (fleet->server_pid);
  struct rusage usage = { { 0 } };
  int wait_status = 0;
  gint64 start;
  gint64 deadline;
  GPid pid = 0;
  gboolean ok;

  g_ptr_array_add (spawn_argv, (gpointer) BENCH_SPAWN);
  g_ptr_array_add (spawn_argv, report);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (spawn_argv, (gpointer) argv[i]);
  g_ptr_array_add (spawn_argv, NULL);
  g_unlink (report);

  start = g_get_monotonic_time ();
  deadline = start + (gint64) timeout_s * G_USEC_PER_SEC;
  ok = out_fd >= 0 && err_fd >= 0
       && g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) spawn_argv->pdata,
                                            (const char * const *) envp,
                                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                                            tool_child_setup, GINT_TO_POINTER (getpid ()),
                                            -1, out_fd, err_fd, NULL, NULL, 0,
                                            &pid, NULL, NULL, NULL, error);
  if (out_fd >= 0)
    close (out_fd);
  if (err_fd >= 0)
    close (err_fd);
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", out_path);
      return FALSE;
    }

  for (;;)
    {
      pid_t reaped = wait4 (pid, &wait_status, WNOHANG, &usage);
      gint64 now;

      if (reaped == pid || (reaped < 0 && errno != EINTR))
        break;
      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          /* TERM first, KILL if it lingers: the group is the tool and what it started. */
          signal_group (pid, run->timed_out ? SIGKILL : SIGTERM);
          run->timed_out = TRUE;
          deadline = now + STOP_GRACE_S * G_USEC_PER_SEC;
        }
      g_usleep (REAP_INTERVAL_US);
    }

  run->ran = TRUE;
  run->seconds = pw_bench_seconds_since (start);
  run->server_cpu_s = pw_bench_process_cpu_s (fleet->server_pid) - server0;
  /* Killed, bench-spawn tells nothing: then its own CPU time, the peak unknown. */
  if (!read_spawn_report (report, run))
    {
      run->cpu_s = timeval_s (&usage.ru_utime) + timeval_s (&usage.ru_stime);
      run->peak_rss_mb = 0;
    }
  if (!run->timed_out && !g_spawn_check_wait_status (wait_status, error))
    return FALSE;
  return TRUE;
}

/* The first line of what `@argv` prints, as "tool version". */
char *
pw_bench_tool_version (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char *line;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, &out, &err, NULL, NULL))
    return g_strdup_printf ("%s not installed", argv[0]);
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

/* What every benchmark does first. */
void
pw_bench_setup (void)
{
  struct rlimit limit;

  /* Run directly, outside meson's environment: the fixtures are in the source tree. */
  g_setenv ("G_TEST_SRCDIR", BENCH_TESTS_SRCDIR, FALSE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* A silent address holds a socket: a /20 needs two thousand. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}
