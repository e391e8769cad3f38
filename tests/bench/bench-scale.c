/* bench-scale.c: Printwatch on 10,000 simulated printers, from discovery to a year of history.
 *
 * The fleet (bench-fleet.h): 10,000 printers spread evenly over 127.24.0.0/18, the other
 * addresses silent, each printer a laser or a colour MFP from tests/fixtures/snmp with its own
 * serial number, MAC and page count. The /18 is cut into --servers equal parts, each served by
 * its own snmpsimd on the same UDP port (default 8: an snmpsimd reads a recording for each
 * printer before it answers, and with 2,500 or 5,000 printers it did not answer within the 30 s
 * pw_test_snmpsim_start () waits, while 1,250 took 3 to 23 s on a busy two-core machine; each
 * prints its start and its ceiling). With --printers=N, the smallest network of 127.24.0.0 as
 * dense. In one store on a temporary file, in this order:
 *  1. discovery: PwDiscovery with PwSnmpEngine's defaults over every address; a printer it did
 *     not find is then added by hand, so that all that follows covers the whole fleet;
 *  2. poll: PwPoller with the defaults (or --in-flight) over every stored device;
 *  3. a year (bench-scale-store.c): --days (default 365) daily snapshots of every device before
 *     the poll, drawn from its polled snapshot (or, where the poll failed, from one of the same
 *     kind); the oldest day with pw_store_append_snapshot (one commit each, as a poll commits),
 *     the others with pw_store_append_snapshots (one commit a day); then the file's size, the
 *     latest state of the fleet (pw_store_list_devices_async) and one device's history;
 *  4. sync, after the year so that every device has readings to send: the payloads of every
 *     in-scope device (pw_agent_next_payload_async), in parts of PW_PAYLOAD_PART_DEVICES:
 *     time, JSON and gzip size, the largest part's; PwUploader sends each part over TLS to
 *     printwatch-collector on 127.0.0.1 (its default size limits) with a CA made for the run
 *     (servers/pw-test-tls.h); then pw_agent_sync_async (queue, upload) end to end, with the
 *     longest the main loop stalled meanwhile;
 *  5. reports: the fleet and the year's meters, CSV and HTML, with pw_report_write_async.
 * Each stage prints wall and CPU time (this process; snmpsimd's apart), its peak resident set
 * (reset before each stage, so the larger of what the process held before and what the stage
 * took) and, for what runs on the main loop, its longest stall, which a 5 ms G_PRIORITY_HIGH
 * timeout records. Then a table, and the ratios to the peers (bench-scale-peers.c): measured
 * on this fleet with --peers (off by default: fusioninventory takes long), else as the
 * discovery and poll benchmarks printed them in an earlier run, from the files --peer-output
 * names (default: meson-logs/bench-discovery.txt and bench-poll.txt of this build, which
 * `meson test -C _build-bench --benchmark discovery -v --logbase bench-discovery` and the
 * same for poll write). Asserts nothing about time; exits 1 when Printwatch did not find or
 * read every printer right, as the discovery and poll benchmarks do.
 *
 * Needs snmpsimd, snmpget and openssl (Debian packages snmpsim, snmp, openssl), else it skips;
 * the peers are optional (bench-discovery.c, bench-poll.c). A year takes about 3 GB in the
 * temporary folder. Run it from an optimised build:
 *   meson setup _build-bench -Dbuildtype=release
 *   meson test -C _build-bench --benchmark scale -v
 * or directly, e.g. `nice _build-bench/tests/bench/bench-scale --days=60` (--help for the
 * options). Only 127.0.0.0/8 is ever sent to; every process it starts is stopped by its PID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-scale"

#include "bench-scale.h"

#include "printwatch-core.h"
#include "pw-test-payload.h"
#include "pw-test-utils.h"
#include "servers/pw-test-tls.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#define NETWORK_BASE      "127.24"  /* .0.0 */
#define MAX_PRINTERS      10000     /* in a /18, with a silent socket for each other address */
#define CEILING_IN_FLIGHT 200
#define CEILING_MIN_GETS  2000
#define TICK_MS           5
#define USER              "printwatch"
#define PASSWORD          "bench-pass"

static int      opt_printers = 10000;
static int      opt_servers = 8;
static int      opt_days = 365;
static int      opt_in_flight = 0;
static gboolean opt_peers = FALSE;
static int      opt_sample = 200;
static int      opt_tool_timeout = 1200;
static char   **opt_peer_output = NULL;

static double
servers_cpu_s (BenchScale *scale)
{
  double total = 0;

  for (guint f = 0; f < scale->fleets->len; f++)
    total += pw_bench_process_cpu_s (((PwBenchFleet *) scale->fleets->pdata[f])->server_pid);
  return total;
}

/* @field ("VmRSS:", "VmHWM:") of /proc/self/status in MB, or 0. The peak, VmHWM, unlike
 * ru_maxrss (which Linux also takes from the image exec replaced), is ours alone, and
 * clear_refs resets it. */
static double
status_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (line = strstr (status, field)) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen (field), NULL) / 1024;
}

static gboolean
tick_cb (gpointer user_data)
{
  BenchScale *scale = user_data;
  gint64 now = g_get_monotonic_time ();

  scale->longest_stall = MAX (scale->longest_stall, now - scale->last_tick - TICK_MS * 1000);
  scale->last_tick = now;
  return G_SOURCE_CONTINUE;
}

/* Measures what follows, until bench_scale_stage_end (): its peak resident set from here. */
void
bench_scale_stage_begin (BenchScale *scale,
                         guint       id,
                         const char *name,
                         gboolean    on_loop)
{
  scale->stages[id].name = name;
  scale->stages[id].on_loop = on_loop;
  /* "5" resets the peak resident set (Linux 4.0 and later). */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
  scale->stages[id].rss_before_mb = status_mb ("VmRSS:");
  scale->longest_stall = 0;
  scale->cpu0 = pw_bench_self_cpu_s ();
  scale->server0 = servers_cpu_s (scale);
  scale->start = scale->last_tick = g_get_monotonic_time ();
  if (on_loop)
    scale->tick_id = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, scale, NULL);
}

/* The measure ends; bench_scale_stage_say () then tells what the stage came to. */
void
bench_scale_stage_end (BenchScale *scale,
                       guint       id)
{
  BenchScaleStage *stage = &scale->stages[id];

  stage->seconds = pw_bench_seconds_since (scale->start);
  if (stage->on_loop)
    {
      tick_cb (scale);  /* the wait for the end counts too */
      g_clear_handle_id (&scale->tick_id, g_source_remove);
      stage->stall_ms = scale->longest_stall / 1000.0;
    }
  stage->cpu_s = pw_bench_self_cpu_s () - scale->cpu0;
  stage->server_cpu_s = servers_cpu_s (scale) - scale->server0;
  stage->peak_rss_mb = status_mb ("VmHWM:");
  stage->ran = TRUE;
}

void
bench_scale_stage_say (BenchScale *scale,
                       guint       id,
                       const char *format,
                       ...)
{
  BenchScaleStage *stage = &scale->stages[id];
  va_list args;

  va_start (args, format);
  stage->figures = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("[%s: %.2f s, %.2f CPU s, peak RSS %.1f MB%s] %s\n", stage->name, stage->seconds, stage->cpu_s,
           stage->peak_rss_mb, stage->on_loop ? "" : ", not on the main loop", stage->figures);
}

void
bench_scale_got_result_cb (GObject      *source,
                           GAsyncResult *res,
                           gpointer      user_data)
{
  BenchScale *scale = user_data;

  scale->result = g_object_ref (res);
  g_main_loop_quit (scale->loop);
}

/* Runs the main loop until bench_scale_got_result_cb (); returns the result. */
GAsyncResult *
bench_scale_wait (BenchScale *scale)
{
  g_main_loop_run (scale->loop);
  return g_steal_pointer (&scale->result);
}

/* ---- the fleet ---- */

/* The smallest network of NETWORK_BASE.0.0 in which the printers are as dense as 10,000 in a
 * /18, cut in --servers equal parts, each served by its own snmpsimd on the same port. */
static gboolean
fleets_start (BenchScale  *scale,
              GError     **error)
{
  guint bits = 0;

  while ((1u << bits) < (guint) opt_servers)
    bits++;
  scale->prefix = 30 - bits;
  while ((1u << (32 - scale->prefix)) - 2 < (guint64) opt_printers * 16382 / MAX_PRINTERS)
    scale->prefix--;
  scale->fleets = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_bench_fleet_free);
  for (guint f = 0, first = 0; f < (guint) opt_servers; f++)
    {
      PwBenchFleetSpec *spec = &scale->specs[f];
      guint32 offset = f << (32 - scale->prefix - bits);
      PwBenchFleet *fleet;
      gint64 start;

      g_snprintf (scale->networks[f], sizeof scale->networks[f], NETWORK_BASE ".%u.%u/%u", offset >> 8,
                  offset & 0xff, scale->prefix + bits);
      spec->network = scale->networks[f];
      spec->n_printers = (f + 1) * opt_printers / opt_servers - first;
      spec->first_index = first;
      spec->port = f == 0 ? 0 : ((PwBenchFleet *) scale->fleets->pdata[0])->port;
      first += spec->n_printers;
      start = g_get_monotonic_time ();
      fleet = pw_bench_fleet_start (spec, error);
      if (fleet == NULL)
        return FALSE;
      scale->up_s[f] = pw_bench_seconds_since (start);
      g_ptr_array_add (scale->fleets, fleet);
      scale->n_addresses += fleet->hosts->len;
    }
  return TRUE;
}

/* The simulated printer at @host, or NULL. */
PwBenchPrinter *
bench_scale_lookup_printer (BenchScale *scale,
                            const char *host)
{
  for (guint f = 0; f < scale->fleets->len; f++)
    {
      PwBenchPrinter *printer = pw_bench_fleet_lookup (scale->fleets->pdata[f], host);

      if (printer != NULL)
        return printer;
    }
  return NULL;
}

static GPtrArray *
community_credentials (void)
{
  GPtrArray *credentials = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (credentials,
                   pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, PW_BENCH_COMMUNITY, NULL));
  return credentials;
}

/* ---- 1. discovery ---- */

static gboolean
run_discovery (BenchScale *scale)
{
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwDiscovery) discovery = pw_discovery_new (engine, scale->store);
  g_autoptr(GPtrArray) credentials = community_credentials ();
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PwTargetSpec) targets = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  guint found = 0, wrong = 0, other = 0, stored;

  for (guint f = 0; f < scale->fleets->len; f++)
    {
      PwBenchFleet *fleet = scale->fleets->pdata[f];

      g_ptr_array_add (tokens, g_strdup_printf ("%s:%u", fleet->spec->network, fleet->port));
    }
  g_ptr_array_add (tokens, NULL);
  targets = pw_target_spec_parse_strv ((const char * const *) tokens->pdata, 161, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_target_spec_get_count (targets), ==, scale->n_addresses);

  bench_scale_stage_begin (scale, BENCH_SCALE_DISCOVERY, "discovery", TRUE);
  pw_discovery_run_async (discovery, targets, credentials, NULL, bench_scale_got_result_cb, scale);
  res = bench_scale_wait (scale);
  results = pw_discovery_run_finish (discovery, res, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    {
      PwDiscoveryResult *result = results->pdata[i];

      if (result->outcome != PW_DISCOVERY_PRINTER || result->duplicate)
        other++;
      else if (bench_scale_lookup_printer (scale, result->host) != NULL)
        found++;
      else
        wrong++;
    }
  stored = pw_store_count_devices (scale->store, NULL);
  bench_scale_stage_end (scale, BENCH_SCALE_DISCOVERY);
  bench_scale_stage_say (scale, BENCH_SCALE_DISCOVERY, "PwDiscovery, engine defaults (%u in flight, %u ms, %u "
                         "retry): %u addresses, %u printers found (of %u), %u wrongly, %u other results; %u "
                         "devices stored; %.0f addresses/s", pw_snmp_engine_get_concurrency (engine),
                         pw_snmp_engine_get_timeout (engine), pw_snmp_engine_get_retries (engine),
                         scale->n_addresses, found, opt_printers, wrong, other, stored,
                         scale->n_addresses / scale->stages[BENCH_SCALE_DISCOVERY].seconds);
  scale->reference.discovery_s = scale->stages[BENCH_SCALE_DISCOVERY].seconds;
  scale->reference.discovered = found;
  return found == (guint) opt_printers && wrong == 0 && stored == (guint) opt_printers;
}

/* Every simulated printer discovery did not store, added by hand so that the poll and all
 * after it cover the whole fleet; returns how many. */
static guint
add_missed (BenchScale *scale)
{
  guint added = 0;

  for (guint f = 0; f < scale->fleets->len; f++)
    {
      PwBenchFleet *fleet = scale->fleets->pdata[f];

      for (guint i = 0; i < fleet->printers->len; i++)
        {
          PwBenchPrinter *printer = fleet->printers->pdata[i];
          g_autoptr(GError) error = NULL;
          g_autoptr(PwDevice) device = pw_store_find_device (scale->store, printer->host, fleet->port, &error);

          if (device == NULL && g_error_matches (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND))
            {
              g_clear_error (&error);
              device = pw_store_add_device (scale->store, printer->host, fleet->port, &error);
              added++;
            }
          g_assert_no_error (error);
        }
    }
  return added;
}

/* ---- 2. poll ---- */

static gboolean
poll_progress_cb (gpointer user_data)
{
  PwPoller *poller = user_data;

  g_print ("  [poll: %u of %u devices]\n", pw_poller_get_done (poller), pw_poller_get_total (poller));
  return G_SOURCE_CONTINUE;
}

static gboolean
run_poll (BenchScale *scale)
{
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwPoller) poller = NULL;
  g_autoptr(GPtrArray) credentials = community_credentials ();
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  const char *first_failure = NULL;
  const BenchScaleStage *stage;
  guint right = 0, failed = 0, misread = 0, missed, progress_id;

  if (opt_in_flight > 0)
    pw_snmp_engine_set_concurrency (engine, (guint) opt_in_flight);
  poller = pw_poller_new (engine, scale->store);
  if ((missed = add_missed (scale)) > 0)
    g_print ("[%u printers discovery did not find added to the store by hand, for a poll of all]\n", missed);
  devices = pw_store_list_devices (scale->store, &error);
  g_assert_no_error (error);
  scale->poll_time = g_get_real_time () / G_USEC_PER_SEC;

  bench_scale_stage_begin (scale, BENCH_SCALE_POLL, "poll", TRUE);
  progress_id = g_timeout_add_seconds (60, poll_progress_cb, poller);
  pw_poller_poll_async (poller, devices, credentials, NULL, bench_scale_got_result_cb, scale);
  res = bench_scale_wait (scale);
  g_source_remove (progress_id);
  results = pw_poller_poll_finish (poller, res, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    {
      PwPollResult *result = results->pdata[i];
      PwBenchPrinter *printer = bench_scale_lookup_printer (scale, result->host);
      gint64 total = -1;

      if (!result->ok)
        {
          if (failed++ == 0)
            first_failure = result->message;
          continue;
        }
      g_hash_table_insert (scale->polled, g_memdup2 (&result->device_id, sizeof (gint64)),
                           g_object_ref (result->snapshot));
      if (printer != NULL
          && g_strcmp0 (pw_snapshot_get_identity (result->snapshot, PW_IDENTITY_SERIAL), printer->serial) == 0
          && pw_snapshot_lookup_counter (result->snapshot, "total", &total) && total == printer->total)
        right++;
      else
        misread++;
    }
  bench_scale_stage_end (scale, BENCH_SCALE_POLL);
  stage = &scale->stages[BENCH_SCALE_POLL];
  bench_scale_stage_say (scale, BENCH_SCALE_POLL, "PwPoller, engine %s (%u in flight, %u ms, %u retry): %u "
                         "devices, %u read right, %u misread, %u failed%s%s; %.0f devices/s; snmpsimd on the CPU "
                         "%.0f%% of the time (%u processes together)", opt_in_flight > 0 ? "--in-flight" : "defaults",
                         pw_snmp_engine_get_concurrency (engine), pw_snmp_engine_get_timeout (engine),
                         pw_snmp_engine_get_retries (engine), results->len, right, misread, failed,
                         failed > 0 ? ", the first: " : "", failed > 0 ? first_failure : "",
                         results->len / stage->seconds, stage->server_cpu_s / stage->seconds * 100,
                         scale->fleets->len);
  scale->reference.poll_s = stage->seconds;
  scale->reference.polled_ok = right;
  return right == (guint) opt_printers;
}

/* ---- 3. sync ---- */

/* printwatch-collector with its default limits; the agent is to send to it. */
static PwTestServer *
start_collector (PwTestPki  *pki,
                 GError    **error)
{
  PwTestServer *server = pw_test_collector_start (pki->server_cert, pki->server_key, USER ":" PASSWORD "\n",
                                                  NULL, error);
  g_autofree char *url = server != NULL ? pw_test_server_get_url (server) : NULL;

  if (server != NULL)
    g_setenv (PW_AGENT_ENV_SERVER_URL, url, TRUE);
  return server;
}

/* The devices the collector has stored, from every upload. */
static gint64
collector_devices (PwTestServer *server)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  if (sqlite3_open_v2 (pw_test_server_get_database (server), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "SELECT count(*) FROM devices", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* One upload of @payload, as the agent would send it; returns the result, or NULL with @error
 * set. */
static PwUploadResult *
upload (BenchScale  *scale,
        PwTestPki   *pki,
        PwPayload   *payload,
        GError     **error)
{
  g_autoptr(PwUploader) uploader = pw_uploader_new ();
  g_autoptr(GAsyncResult) res = NULL;

  pw_uploader_set_server_url (uploader, g_getenv (PW_AGENT_ENV_SERVER_URL));
  pw_uploader_set_ca_file (uploader, pki->ca_file);
  pw_uploader_set_auth_basic (uploader, USER, PASSWORD);
  pw_uploader_upload_async (uploader, pw_payload_get_id (payload), pw_payload_get_bytes (payload), NULL,
                            bench_scale_got_result_cb, scale);
  res = bench_scale_wait (scale);
  return pw_uploader_upload_finish (uploader, res, error);
}

/* What the agent's next daily transmission would send, built now: its parts. */
static GPtrArray *
build_payloads (BenchScale *scale,
                PwAgent    *agent)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *parts;

  pw_agent_next_payload_async (agent, TRUE, NULL, bench_scale_got_result_cb, scale);
  res = bench_scale_wait (scale);
  parts = pw_agent_next_payload_finish (agent, res, &error);
  g_assert_no_error (error);
  return parts;
}

static void
run_sync (BenchScale *scale,
          PwAgent    *agent)
{
  g_autoptr(PwTestPki) pki = NULL;
  g_autoptr(PwTestServer) collector = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_error = NULL;
  PwSyncSummary summary = { 0 };
  gsize json_size = 0, gzip_size = 0, largest_json = 0, largest_gzip = 0;
  guint n_devices = 0, stored = 0, refused = 0;

  pki = pw_test_pki_new (&error);
  if (pki != NULL)
    collector = start_collector (pki, &error);
  if (collector == NULL)
    {
      g_print ("[sync skipped: %s]\n", error->message);
      return;
    }
  g_setenv (PW_AGENT_ENV_CA_FILE, pki->ca_file, TRUE);
  g_setenv (PW_AGENT_ENV_SERVER_USER, USER, TRUE);
  g_setenv (PW_AGENT_ENV_AUTH, "basic", TRUE);
  g_setenv (PW_AGENT_ENV_SITE_NAME, "Scale benchmark", TRUE);
  g_setenv (PW_SECRET_PASSWORD_ENV, PASSWORD, TRUE);
  g_assert_true (pw_agent_configure (agent, NULL, &error));

  bench_scale_stage_begin (scale, BENCH_SCALE_BUILD, "payload", TRUE);
  parts = build_payloads (scale, agent);
  bench_scale_stage_end (scale, BENCH_SCALE_BUILD);
  /* Measured apart: the benchmark's own gzip runs on the main loop, as the uploader's does not. */
  for (guint i = 0; i < parts->len; i++)
    {
      GBytes *bytes = pw_payload_get_bytes (parts->pdata[i]);
      g_autoptr(GBytes) gzipped = pw_test_gzip (bytes);

      json_size += g_bytes_get_size (bytes);
      gzip_size += g_bytes_get_size (gzipped);
      largest_json = MAX (largest_json, g_bytes_get_size (bytes));
      largest_gzip = MAX (largest_gzip, g_bytes_get_size (gzipped));
      n_devices += pw_payload_get_n_devices (parts->pdata[i]);
    }
  bench_scale_stage_say (scale, BENCH_SCALE_BUILD, "pw_agent_next_payload_async: %u devices in %u parts of at most "
                         "%u; JSON %.2f MB, gzip %.2f MB (%.1f:1); the largest part %.2f MB, %.3f MB gzipped; "
                         "%.0f bytes of JSON a device", n_devices, parts->len, PW_PAYLOAD_PART_DEVICES,
                         json_size / 1e6, gzip_size / 1e6, (double) json_size / MAX (gzip_size, 1),
                         largest_json / 1e6, largest_gzip / 1e6, (double) json_size / MAX (n_devices, 1));

  /* Each part as the agent sends it, to the collector as it starts by default. */
  bench_scale_stage_begin (scale, BENCH_SCALE_UPLOAD, "upload", TRUE);
  for (guint i = 0; i < parts->len; i++)
    {
      g_autoptr(PwUploadResult) result = upload (scale, pki, parts->pdata[i], &error);

      if (result != NULL && result->acknowledged)
        stored++;
      else
        {
          refused++;
          if (first_error == NULL)
            first_error = error != NULL ? g_strdup (error->message) : g_strdup_printf ("HTTP %u", result->http_status);
        }
      g_clear_error (&error);
    }
  bench_scale_stage_end (scale, BENCH_SCALE_UPLOAD);
  bench_scale_stage_say (scale, BENCH_SCALE_UPLOAD, "PwUploader over TLS to printwatch-collector with its "
                         "default limits, part by part: %u stored, %u not%s%s; %" G_GINT64_FORMAT " devices in its "
                         "database", stored, refused, first_error != NULL ? ", the first: " : "",
                         first_error != NULL ? first_error : "", collector_devices (collector));
  g_clear_pointer (&parts, g_ptr_array_unref);

  bench_scale_stage_begin (scale, BENCH_SCALE_AGENT_SYNC, "agent sync", TRUE);
  pw_agent_sync_async (agent, PW_AGENT_SYNC_QUEUE | PW_AGENT_SYNC_UPLOAD, NULL, bench_scale_got_result_cb,
                       scale);
  res = bench_scale_wait (scale);
  pw_agent_sync_finish (agent, res, &summary, &error);
  bench_scale_stage_end (scale, BENCH_SCALE_AGENT_SYNC);
  bench_scale_stage_say (scale, BENCH_SCALE_AGENT_SYNC, "pw_agent_sync_async, queue and upload (build, outbox, "
                         "send): %s; %u parts sent, %u waiting; %" G_GINT64_FORMAT " devices in the collector's "
                         "database; the main loop stalled %.1f ms at the longest",
                         error != NULL ? error->message : "ok", summary.sent, summary.waiting,
                         collector_devices (collector), scale->stages[BENCH_SCALE_AGENT_SYNC].stall_ms);
}

/* ---- the figures ---- */

static void
print_table (BenchScale *scale)
{
  double overall = 0;

  g_print ("\n%u printers of %u addresses on %u snmpsimd (UDP port %u); %u days of history\n", opt_printers,
           scale->n_addresses, scale->fleets->len, ((PwBenchFleet *) scale->fleets->pdata[0])->port, scale->days);
  g_print ("%-22s %9s %9s %9s %9s %9s %9s\n", "stage", "wall s", "CPU s", "server", "RSS MB", "peak RSS", "stall");
  g_print ("%-22s %9s %9s %9s %9s %9s %9s\n", "", "", "", "CPU s", "before", "MB", "ms");
  for (guint i = 0; i < BENCH_SCALE_N_STAGES; i++)
    {
      const BenchScaleStage *stage = &scale->stages[i];
      g_autofree char *stall = stage->on_loop ? g_strdup_printf ("%.1f", stage->stall_ms) : g_strdup ("-");

      if (!stage->ran)
        continue;
      overall = MAX (overall, stage->peak_rss_mb);
      g_print ("%-22s %9.2f %9.2f %9.2f %9.1f %9.1f %9s\n", stage->name, stage->seconds, stage->cpu_s,
               stage->server_cpu_s, stage->rss_before_mb, stage->peak_rss_mb, stall);
    }
  g_print ("peak RSS over all: %.1f MB (the largest of the stages' peaks)\n", overall);
  g_print ("stall: the longest the main loop did not run, beyond a 5 ms tick; '-': the stage ran "
           "synchronously (a benchmark's shortcut, not what Printwatch does)\n");
}

static const GOptionEntry options[] = {
  { "printers", 0, 0, G_OPTION_ARG_INT, &opt_printers, "Printers in the fleet (default 10000)", "N" },
  { "servers", 0, 0, G_OPTION_ARG_INT, &opt_servers, "snmpsimd processes serving them: 1, 2, 4, 8 or 16 "
    "(default 8)", "N" },
  { "days", 0, 0, G_OPTION_ARG_INT, &opt_days, "Days of history to simulate (default 365)", "N" },
  { "in-flight", 0, 0, G_OPTION_ARG_INT, &opt_in_flight, "Requests the poll keeps in flight (default: "
    "PwSnmpEngine's)", "N" },
  { "peers", 0, 0, G_OPTION_ARG_NONE, &opt_peers, "Run the peer tools on the same fleet (slow)", NULL },
  { "sample", 0, 0, G_OPTION_ARG_INT, &opt_sample, "Printers fusioninventory-netinventory polls (default 200)",
    "N" },
  { "tool-timeout", 0, 0, G_OPTION_ARG_INT, &opt_tool_timeout, "Seconds each peer run may take (default 1200)",
    "S" },
  { "peer-output", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_peer_output,
    "Saved output of bench-discovery or bench-poll to take the ratios from (repeatable)", "FILE" },
  { NULL }
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- Printwatch on 10,000 simulated printers");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autofree char *db = NULL;
  g_autofree char *sim_version = NULL;
  const char * const vsim[] = { "snmpsimd", "--version", NULL };
  BenchScale scale = { 0 };
  gboolean exact;
  gint64 start;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_days < 1 || opt_in_flight < 0
      || opt_sample < 1 || opt_tool_timeout < 1 || opt_printers < opt_servers || opt_printers > MAX_PRINTERS
      || opt_servers < 1 || opt_servers > BENCH_SCALE_MAX_SERVERS || (opt_servers & (opt_servers - 1)) != 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--servers is 1, 2, 4, 8 or 16; --printers from --servers "
                  "to 10000; counts are positive");
      return 2;
    }
  pw_bench_setup ();
  g_setenv ("PW_COLLECTOR", BENCH_COLLECTOR, FALSE);
  sim_version = pw_bench_tool_version (vsim);
  g_print ("Scale benchmark: %d printers (loopback only), %d days of history.\n", opt_printers, opt_days);
  g_print ("%s; %ld CPUs online; SQLite %s; SNMPv2c community \"%s\".\n", sim_version,
           sysconf (_SC_NPROCESSORS_ONLN), sqlite3_libversion (), PW_BENCH_COMMUNITY);

  start = g_get_monotonic_time ();
  if (!fleets_start (&scale, &error))
    {
      g_clear_pointer (&scale.fleets, g_ptr_array_unref);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_print ("SKIP: %s\n", error->message);
          return 0;
        }
      g_printerr ("Cannot start the fleet: %s\n", error->message);
      return 1;
    }
  g_print ("[fleet up in %.1f s: " NETWORK_BASE ".0.0/%u, %u addresses, %u snmpsimd]\n",
           pw_bench_seconds_since (start), scale.prefix, scale.n_addresses, scale.fleets->len);
  for (guint f = 0; f < scale.fleets->len; f++)
    {
      PwBenchFleet *fleet = scale.fleets->pdata[f];
      double busy = 0;
      double ceiling = pw_bench_fleet_measure_ceiling (fleet, CEILING_IN_FLIGHT, CEILING_MIN_GETS, &busy);

      g_print ("  %s: %u printers, up in %.1f s; snmpsimd ceiling %.0f GET/s (sysDescr.0, %d in flight), on "
               "the CPU %.0f%% of that time\n", fleet->spec->network, fleet->printers->len, scale.up_s[f], ceiling,
               CEILING_IN_FLIGHT, busy * 100);
    }

  scale.days = (guint) opt_days;
  scale.dir = pw_test_make_tmpdir ();
  db = g_build_filename (scale.dir, "scale.db", NULL);
  scale.store = pw_store_open (db, &error);
  g_assert_no_error (error);
  scale.polled = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  scale.loop = g_main_loop_new (NULL, FALSE);

  exact = run_discovery (&scale);
  exact = run_poll (&scale) && exact;
  bench_scale_run_year (&scale);
  agent = pw_agent_new (scale.store);
  run_sync (&scale, agent);
  bench_scale_run_report (&scale, BENCH_SCALE_REPORT_FLEET_CSV, PW_REPORT_KIND_FLEET, PW_REPORT_FORMAT_CSV);
  bench_scale_run_report (&scale, BENCH_SCALE_REPORT_FLEET_HTML, PW_REPORT_KIND_FLEET, PW_REPORT_FORMAT_HTML);
  bench_scale_run_report (&scale, BENCH_SCALE_REPORT_METERS_CSV, PW_REPORT_KIND_METERS, PW_REPORT_FORMAT_CSV);
  bench_scale_run_report (&scale, BENCH_SCALE_REPORT_METERS_HTML, PW_REPORT_KIND_METERS,
                          PW_REPORT_FORMAT_HTML);
  print_table (&scale);

  scale.reference.fleets = scale.fleets;
  scale.reference.n_printers = (guint) opt_printers;
  scale.reference.n_addresses = scale.n_addresses;
  if (opt_peers)
    bench_scale_run_peers (&scale.reference, (guint) opt_sample, (guint) opt_tool_timeout);
  else
    {
      const char * const defaults[] = { BENCH_BUILD_ROOT "/meson-logs/bench-discovery.txt",
                                        BENCH_BUILD_ROOT "/meson-logs/bench-poll.txt", NULL };

      bench_scale_print_saved_ratios (opt_peer_output != NULL ? (const char * const *) opt_peer_output
                                                              : defaults);
    }

  for (guint i = 0; i < BENCH_SCALE_N_STAGES; i++)
    g_free (scale.stages[i].figures);
  g_clear_object (&agent);
  g_clear_object (&scale.store);
  g_clear_pointer (&scale.polled, g_hash_table_unref);
  g_clear_pointer (&scale.loop, g_main_loop_unref);
  g_clear_pointer (&scale.fleets, g_ptr_array_unref);
  pw_test_remove_tree (scale.dir);
  g_free (scale.dir);
  g_strfreev (opt_peer_output);
  if (!exact)
    {
      g_printerr ("\nPrintwatch did not find or read every printer right (see above).\n");
      return 1;
    }
  return 0;
}
