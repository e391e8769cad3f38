/* bench-fleet.h: a simulated printer fleet on loopback for the benchmarks, and the running
 * and measuring of the peer tools they compare against.
 *
 * A fleet is one network of 127.0.0.0/8 on which some addresses are printers, all served by
 * one snmpsimd on a free UDP port, and the rest silent. Each printer replays a laser or a
 * colour MFP from tests/fixtures/snmp with a serial number, a MAC and a page count of its
 * own, so that no printer passes for another. Needs snmpsimd (Debian package snmpsim) and
 * snmpget (package snmp): else pw_bench_fleet_start () fails with G_IO_ERROR_NOT_FOUND and
 * the benchmark skips. Every process started here is stopped by its PID. With PW_BENCH_KEEP
 * set in the environment, the fleet's directory (recordings, the peers' output) stays.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-test-snmp.h"

#include <sys/types.h>

G_BEGIN_DECLS

#define PW_BENCH_COMMUNITY  "public"
#define PW_BENCH_SERIAL_OID "1.3.6.1.2.1.43.5.1.1.17.1"    /* prtGeneralSerialNumber.1 */
#define PW_BENCH_TOTAL_OID  "1.3.6.1.2.1.43.10.2.1.4.1.1"  /* prtMarkerLifeCount.1.1 */

typedef struct {
  const char *network;     /* as an admin types it, "127.20.0.0/24" */
  guint       n_printers;  /* spread evenly over its addresses, the rest silent */
  /* Fleets side by side, each with its own snmpsimd, make one larger fleet: */
  guint       first_index; /* the first printer's index, so serials and MACs stay apart */
  guint16     port;        /* the UDP port, the same for all; 0: a free one */
} PwBenchFleetSpec;

typedef struct {
  const char *host;        /* borrowed from the fleet's hosts */
  guint       index;       /* its place among the printers, in address order, from first_index */
  char       *serial;      /* owned: its prtGeneralSerialNumber.1 */
  gint64      total;       /* its prtMarkerLifeCount.1.1: a poll's "total" */
} PwBenchPrinter;

typedef struct {
  const PwBenchFleetSpec *spec;
  char        *dir;         /* owned: recordings, host list, community file; removed at the end */
  GPtrArray   *hosts;       /* owned: every address of the network, in sweep order */
  GPtrArray   *printers;    /* owned, of PwBenchPrinter, in address order */
  GHashTable  *by_host;     /* owned: host → PwBenchPrinter (both borrowed) */
  guint16      port;
  PwTestAgent *agent;       /* owned: the snmpsimd serving every printer */
  pid_t        server_pid;  /* its process, to read its CPU time; 0 if not found */
  GArray      *sinks;       /* owned: sockets that keep the silent addresses silent */
} PwBenchFleet;

/* What one run of a tool took. */
typedef struct {
  gboolean ran;
  gboolean timed_out;       /* stopped at its bound */
  double   seconds;         /* wall time */
  double   cpu_s;           /* the tool's own CPU time, user + system, with its children's */
  double   server_cpu_s;    /* snmpsimd's CPU time meanwhile */
  double   peak_rss_mb;     /* its largest process's peak resident set, or 0 if unknown */
} PwBenchRun;

PwBenchFleet   *pw_bench_fleet_start             (const PwBenchFleetSpec  *spec,
                                                  GError                 **error);
void            pw_bench_fleet_free              (PwBenchFleet            *fleet);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwBenchFleet, pw_bench_fleet_free)
char           *pw_bench_fleet_path              (PwBenchFleet            *fleet,
                                                  const char              *name);
PwBenchPrinter *pw_bench_fleet_lookup            (PwBenchFleet            *fleet,
                                                  const char              *host);
double          pw_bench_fleet_measure_ceiling   (PwBenchFleet            *fleet,
                                                  guint                    in_flight,
                                                  guint                    min_gets,
                                                  double                  *busy);
gboolean        pw_bench_run_tool                (PwBenchFleet            *fleet,
                                                  const char * const      *argv,
                                                  const char              *out_path,
                                                  const char              *err_path,
                                                  guint                    timeout_s,
                                                  PwBenchRun              *run,
                                                  GError                 **error);

void            pw_bench_setup                   (void);
double          pw_bench_seconds_since           (gint64                   start);
double          pw_bench_self_cpu_s              (void);
double          pw_bench_self_peak_rss_mb        (void);
double          pw_bench_process_cpu_s           (pid_t                    pid);
char           *pw_bench_tool_version            (const char * const      *argv);

G_END_DECLS
