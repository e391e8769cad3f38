/* bench-scale.h: what the scale benchmark's files share.
 *
 * bench-scale.c builds the fleet and runs discovery, poll and sync; bench-scale-store.c writes
 * the year of history and the reports; bench-scale-peers.c runs the peer tools on the same fleet
 * when asked (--peers), or else shows the ratios that the discovery and poll benchmarks
 * printed in an earlier run. How to run it: the comment atop bench-scale.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bench-fleet.h"

#include "printwatch-core.h"

G_BEGIN_DECLS

#define BENCH_SCALE_MAX_SERVERS 16
#define BENCH_SCALE_DAY_S       86400

/* Printwatch's figures the peers are measured against. */
typedef struct {
  GPtrArray *fleets;         /* borrowed, of PwBenchFleet: side by side, one UDP port */
  guint      n_printers;
  guint      n_addresses;
  double     discovery_s;    /* wall time of PwDiscovery over every address */
  guint      discovered;     /* printers it found */
  double     poll_s;         /* wall time of PwPoller over every printer */
  guint      polled_ok;      /* printers it read right */
} BenchScaleReference;

/* What one stage took. */
typedef struct {
  const char *name;
  gboolean    ran;
  gboolean    on_loop;       /* ran on the main loop: its stall counts */
  double      seconds;
  double      cpu_s;         /* this process, all threads */
  double      server_cpu_s;  /* every snmpsimd together */
  double      rss_before_mb; /* resident when it began */
  double      peak_rss_mb;
  double      stall_ms;
  char       *figures;       /* owned: what it came to */
} BenchScaleStage;

enum {
  BENCH_SCALE_DISCOVERY,
  BENCH_SCALE_POLL,
  BENCH_SCALE_YEAR_SINGLE,
  BENCH_SCALE_YEAR_BULK,
  BENCH_SCALE_LIST,
  BENCH_SCALE_HISTORY,
  BENCH_SCALE_BUILD,
  BENCH_SCALE_UPLOAD,
  BENCH_SCALE_AGENT_SYNC,
  BENCH_SCALE_REPORT_FLEET_CSV,
  BENCH_SCALE_REPORT_FLEET_HTML,
  BENCH_SCALE_REPORT_METERS_CSV,
  BENCH_SCALE_REPORT_METERS_HTML,
  BENCH_SCALE_N_STAGES
};

typedef struct {
  GPtrArray        *fleets;      /* owned, of PwBenchFleet */
  PwBenchFleetSpec  specs[BENCH_SCALE_MAX_SERVERS];
  char              networks[BENCH_SCALE_MAX_SERVERS][24];
  double            up_s[BENCH_SCALE_MAX_SERVERS];  /* each fleet's start: recordings, snmpsimd */
  guint             n_addresses;
  guint             prefix;      /* of the whole network */
  guint             days;        /* of history */
  char             *dir;         /* owned: the store and the reports */
  PwStore          *store;       /* owned */
  GHashTable       *polled;      /* owned: device id (gint64 *) → its polled PwSnapshot */
  gint64            poll_time;   /* unix seconds: when the poll began */
  BenchScaleStage   stages[BENCH_SCALE_N_STAGES];
  BenchScaleReference reference;
  /* the stage being measured */
  GMainLoop        *loop;        /* owned */
  GAsyncResult     *result;      /* owned, until bench_scale_wait () hands it over */
  guint             tick_id;
  gint64            last_tick;
  gint64            longest_stall;
  gint64            start;
  double            cpu0;
  double            server0;
} BenchScale;

void            bench_scale_stage_begin   (BenchScale          *scale,
                                           guint                id,
                                           const char          *name,
                                           gboolean             on_loop);
void            bench_scale_stage_end     (BenchScale          *scale,
                                           guint                id);
void            bench_scale_stage_say     (BenchScale          *scale,
                                           guint                id,
                                           const char          *format,
                                           ...) G_GNUC_PRINTF (3, 4);
void            bench_scale_got_result_cb (GObject             *source,
                                           GAsyncResult        *res,
                                           gpointer             user_data);
GAsyncResult   *bench_scale_wait          (BenchScale          *scale);
PwBenchPrinter *bench_scale_lookup_printer (BenchScale         *scale,
                                           const char          *host);

void            bench_scale_run_year      (BenchScale          *scale);
void            bench_scale_run_report    (BenchScale          *scale,
                                           guint                id,
                                           PwReportKind         kind,
                                           PwReportFormat       format);

void            bench_scale_run_peers     (const BenchScaleReference *reference,
                                           guint                      sample,
                                           guint                      tool_timeout_s);
void            bench_scale_print_saved_ratios (const char * const   *paths);

G_END_DECLS
