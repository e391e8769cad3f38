/* test-crash.c: printwatch-cli killed with SIGKILL at random points of polls and syncs.
 *
 * An office of four simulated printers (snmpsimd) and printwatch-collector over TLS. Each round
 * runs `poll --all` or `sync --now` and kills it (SIGKILL) after a random delay, drawn within
 * how long an undisturbed run of that command takes here, so most kills land mid-run. The
 * CLI's debug messages say what it holds as done: a snapshot committed, a payload committed to
 * the outbox, an upload acknowledged. After each kill:
 *   - the database passes PRAGMA integrity_check and its foreign keys hold;
 *   - every snapshot and payload the killed run said it committed is there, and no snapshot
 *     was lost (their count never goes down);
 *   - every payload acknowledged left the outbox and is at the collector; every payload the
 *     collector holds is either acknowledged or still in the outbox (its answer was lost: it
 *     goes again and the collector says duplicate); every counter the collector holds is a
 *     reading of the agent's;
 *   - the collector holds no payload twice.
 * At the end, `sync --retry` delivers what waits: each payload queued reached the collector
 * exactly once. Each sync sends its day in two parts (PRINTWATCH_PART_DEVICES), so kills
 * also land between the parts of one batch. The seed is printed; PW_TEST_SEED=N repeats a run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-office.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define PASSWORD   "crash-test-pass"
#define N_PRINTERS 4
#define ROUNDS     60
#define DEBUG      "pw-store pw-agent"

typedef enum {
  PHASE_STARTING,   /* before the database was open */
  PHASE_POLLING,    /* some printers' snapshots not committed yet */
  PHASE_QUEUEING,   /* polled; the payload not (yet) in the outbox or not being sent */
  PHASE_UPLOADING,  /* a payload sent, its acknowledgement not recorded */
  PHASE_AFTER,      /* the work done, the process not yet gone */
  PHASE_EXITED,     /* it had finished before the kill */
  N_PHASES
} Phase;

static const char * const phase_names[N_PHASES] = {
  "while starting", "mid-poll", "between poll and upload", "mid-upload", "after the work",
  "had finished before",
};

/* What a run said it had done, from its debug messages. */
typedef struct {
  gboolean   opened;
  GArray    *snapshots;  /* of gint64 pairs: snapshot id, device id */
  GPtrArray *queued;     /* payload ids committed to the outbox */
  GPtrArray *sending;
  GPtrArray *acknowledged;
} Told;

static void
told_clear (Told *told)
{
  g_array_unref (told->snapshots);
  g_ptr_array_unref (told->queued);
  g_ptr_array_unref (told->sending);
  g_ptr_array_unref (told->acknowledged);
}

/* The word after @marker on @line, if @marker is there. */
static char *
word_after (const char *line,
            const char *marker)
{
  const char *start = strstr (line, marker);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (marker);
  for (end = start; *end != '\0' && *end != ' '; end++)
    ;
  return g_strndup (start, (gsize) (end - start));
}

static void
read_told (const char *log_path,
           Told       *told)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  *told = (Told) { FALSE, g_array_new (FALSE, FALSE, sizeof (gint64)), g_ptr_array_new_with_free_func (g_free),
                   g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  if (!g_file_get_contents (log_path, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *snapshot = strstr (line, "Committed snapshot ");
      char *word;

      if (strstr (line, "Opened ") != NULL)
        told->opened = TRUE;
      if (snapshot != NULL)
        {
          gint64 ids[2] = { 0, 0 };

          /* A line cut short by the kill is not a whole message: it was not said. */
          if (sscanf (snapshot, "Committed snapshot %" G_GINT64_FORMAT " of device %" G_GINT64_FORMAT,
                      &ids[0], &ids[1]) == 2)
            g_array_append_vals (told->snapshots, ids, 2);
        }
      if ((word = word_after (line, "Committed payload ")) != NULL)
        g_ptr_array_add (told->queued, word);
      if ((word = word_after (line, "Sending ")) != NULL)
        g_ptr_array_add (told->sending, word);
      if ((word = word_after (line, "Acknowledged ")) != NULL)
        g_ptr_array_add (told->acknowledged, word);
    }
}

static Phase
phase_of (const Told *told,
          gboolean    sync)
{
  if (!told->opened)
    return PHASE_STARTING;
  if (told->snapshots->len / 2 < N_PRINTERS)
    return PHASE_POLLING;
  if (!sync)
    return PHASE_AFTER;
  if (told->queued->len == 0 || told->sending->len == 0)
    return PHASE_QUEUEING;
  if (told->sending->len > told->acknowledged->len)
    return PHASE_UPLOADING;
  return PHASE_AFTER;
}

/* Opens the agent's database with the collector's attached as "c". */
static sqlite3 *
open_both (PwTestOffice *office)
{
  sqlite3 *db = pw_test_sql_open (office->db);
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", pw_test_server_get_database (office->collector));
  char *sql = sqlite3_mprintf ("ATTACH %Q AS c", uri);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_free (sql);
  return db;
}

/* Everything the office's two databases must agree on, whatever was killed when. */
static void
assert_consistent (sqlite3 *db)
{
  /* Nothing twice at the collector. */
  g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM c.payloads", NULL), ==,
                   pw_test_sql_int (db, "SELECT count(DISTINCT payload_id) FROM c.payloads", NULL));
  g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM (SELECT 1 FROM c.devices "
                                    "GROUP BY payload_id, device_id HAVING count(*) > 1)", NULL), ==, 0);
  /* What the collector holds was acknowledged, or waits to go again. */
  g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM c.payloads p WHERE "
                                    "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = p.payload_id) AND "
                                    "NOT EXISTS (SELECT 1 FROM sync_log l WHERE l.event = 'upload' AND l.ok "
                                    "            AND l.idempotency_key = p.payload_id)", NULL), ==, 0);
  /* What was acknowledged is at the collector and out of the outbox. */
  g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM sync_log l WHERE l.event = 'upload' AND l.ok AND ("
                                    "NOT EXISTS (SELECT 1 FROM c.payloads p WHERE p.payload_id = l.idempotency_key) OR "
                                    "EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = l.idempotency_key))",
                                    NULL), ==, 0);
  /* Every payload queued is still waiting or was acknowledged: none lost. */
  g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM sync_log q WHERE q.event = 'queued' AND "
                                    "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = q.idempotency_key) AND "
                                    "NOT EXISTS (SELECT 1 FROM sync_log l WHERE l.event = 'upload' AND l.ok "
                                    "            AND l.idempotency_key = q.idempotency_key)", NULL), ==, 0);
  /* Every reading the collector holds is one the agent read and kept. */
  g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM c.counters k WHERE NOT EXISTS ("
                                    "SELECT 1 FROM snapshots s JOIN readings r ON r.snapshot_id = s.id "
                                    "WHERE s.device_id = k.device_id AND r.name = k.name AND r.value = k.value "
                                    "AND strftime ('%Y-%m-%dT%H:%M:%SZ', s.taken_at, 'unixepoch') = k.read_at)",
                                    NULL), ==, 0);
}

/* What the killed run said it had done is there. */
static void
assert_told_kept (sqlite3    *db,
                  const Told *told)
{
  for (guint i = 0; i < told->snapshots->len; i += 2)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM snapshots WHERE id = %" G_GINT64_FORMAT
                                              " AND device_id = %" G_GINT64_FORMAT,
                                              g_array_index (told->snapshots, gint64, i),
                                              g_array_index (told->snapshots, gint64, i + 1));

      g_assert_cmpint (pw_test_sql_int (db, sql, NULL), ==, 1);
    }
  for (guint i = 0; i < told->queued->len; i++)
    g_assert_cmpint (pw_test_sql_int (db, "SELECT (SELECT count(*) FROM outbox WHERE idempotency_key = ?1) + "
                                      "EXISTS (SELECT 1 FROM sync_log WHERE event = 'upload' AND ok "
                                      "        AND idempotency_key = ?1)", told->queued->pdata[i]), ==, 1);
  for (guint i = 0; i < told->acknowledged->len; i++)
    {
      g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM c.payloads WHERE payload_id = ?1",
                                        told->acknowledged->pdata[i]), ==, 1);
      g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM outbox WHERE idempotency_key = ?1",
                                        told->acknowledged->pdata[i]), ==, 0);
    }
}

/* A long SNMP timeout: snmpsimd is slow when the machine is busy, and a run whose printers
 * do not answer would tell little. */
static const char * const *
command_args (PwTestOffice *office,
              gboolean      sync)
{
  static const char *args[] = { NULL, NULL, "--community", NULL, "--timeout", "4000", NULL };

  args[0] = sync ? "sync" : "poll";
  args[1] = sync ? "--now" : "--all";
  args[3] = office->community;
  return args;
}

#define FIRST_SNAPSHOT "Committed snapshot "

/* Waits until the run's output holds @marker (TRUE), or the run is over (FALSE). */
static gboolean
wait_for (GSubprocess *process,
          const char  *log_path,
          const char  *marker)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (log_path, &text, NULL, NULL) && strstr (text, marker) != NULL)
        return TRUE;
      if (g_subprocess_get_identifier (process) == NULL)
        return FALSE;
      g_usleep (500);
    }
  return FALSE;
}

/* How long an undisturbed run takes (µs), and how long after its first snapshot. */
static void
time_run (PwTestOffice *office,
          const char   *log_path,
          gboolean      sync,
          gint64       *total,
          gint64       *after_poll)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  gint64 started, polled;

  g_remove (log_path);
  started = g_get_monotonic_time ();
  process = pw_test_office_spawn_cli (office, log_path, DEBUG, command_args (office, sync), &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (process, log_path, FIRST_SNAPSHOT));
  polled = g_get_monotonic_time ();
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  *total = g_get_monotonic_time () - started;
  *after_poll = g_get_monotonic_time () - polled;
}

static void
test_killed (void)
{
  PwTestOfficeOptions options = { "127.0.9", N_PRINTERS, NULL, NULL, PASSWORD };
  g_autoptr(PwTestOffice) office = pw_test_office_new (&options);
  g_autoptr(GRand) rand = NULL;
  g_autofree char *log_path = NULL;
  const char *seed_text = g_getenv ("PW_TEST_SEED");
  guint32 seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10) : g_random_int ();
  guint landed[2][N_PHASES] = { { 0 } };
  gint64 total[2], after_poll[2];
  gint64 snapshots = 0;

  if (office == NULL)
    return;
  g_test_message ("seed %u (PW_TEST_SEED=%u repeats this run)", seed, seed);
  rand = g_rand_new_with_seed (seed);
  pw_test_office_set_env (office, PASSWORD);
  g_setenv (PW_PAYLOAD_ENV_PART_DEVICES, "2", TRUE);
  log_path = g_build_filename (office->dir, "cli.log", NULL);

  time_run (office, log_path, FALSE, &total[FALSE], &after_poll[FALSE]);
  time_run (office, log_path, TRUE, &total[TRUE], &after_poll[TRUE]);
  g_test_message ("undisturbed: poll --all %" G_GINT64_FORMAT " ms, sync --now %" G_GINT64_FORMAT " ms (%"
                  G_GINT64_FORMAT " ms of it after the poll)", total[FALSE] / 1000, total[TRUE] / 1000,
                  after_poll[TRUE] / 1000);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      gboolean sync = g_rand_boolean (rand);
      /* Half the syncs are killed at a random time after their poll, where the upload is:
       * polling is most of a run, and snmpsimd slows down under the requests of killed runs. */
      gboolean after = sync && g_rand_boolean (rand);
      gint64 span = after ? after_poll[TRUE] : total[sync];
      gint64 delay = g_rand_int_range (rand, 0, (gint32) CLAMP (span, 1000, G_MAXINT32));
      Told told;
      Phase phase;
      sqlite3 *db;

      g_assert_cmpint (g_unlink (log_path), ==, 0);
      process = pw_test_office_spawn_cli (office, log_path, DEBUG, command_args (office, sync), &error);
      g_assert_no_error (error);
      if (after)
        wait_for (process, log_path, FIRST_SNAPSHOT);
      g_usleep ((gulong) delay);
      g_subprocess_force_exit (process);
      g_assert_true (g_subprocess_wait (process, NULL, &error));
      g_assert_no_error (error);

      read_told (log_path, &told);
      if (g_subprocess_get_if_exited (process))
        {
          g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
          phase = PHASE_EXITED;
        }
      else
        phase = phase_of (&told, sync);
      landed[sync][phase]++;
      g_test_message ("round %u: %s killed %" G_GINT64_FORMAT " ms after %s: %s (%u snapshots, %u queued, "
                      "%u sent, %u acknowledged)", round, sync ? "sync" : "poll", delay / 1000,
                      after ? "its poll" : "its start", phase_names[phase], told.snapshots->len / 2,
                      told.queued->len, told.sending->len, told.acknowledged->len);

      pw_test_sql_assert_intact (office->db);
      db = open_both (office);
      assert_told_kept (db, &told);
      assert_consistent (db);
      g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM snapshots", NULL), >=, snapshots);
      snapshots = pw_test_sql_int (db, "SELECT count(*) FROM snapshots", NULL);
      sqlite3_close (db);
      told_clear (&told);
    }

  for (guint sync = 0; sync < 2; sync++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint phase = 0; phase < N_PHASES; phase++)
        g_string_append_printf (line, "%s%u %s", phase > 0 ? ", " : "", landed[sync][phase], phase_names[phase]);
      g_test_message ("%s kills: %s", sync ? "sync --now" : "poll --all", line->str);
    }

  /* Started again: what waits goes, each payload once. */
  g_assert_cmpint (pw_test_office_run_cli (office, log_path, DEBUG, (const char * const[]) { "sync", "--retry", NULL }),
                   ==, 0);
  {
    sqlite3 *db = open_both (office);
    gint64 queued = pw_test_sql_int (db, "SELECT count(DISTINCT idempotency_key) FROM sync_log WHERE event = 'queued'",
                                     NULL);

    g_test_message ("%" G_GINT64_FORMAT " snapshots kept, %" G_GINT64_FORMAT " payloads queued", snapshots, queued);
    assert_consistent (db);
    g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM outbox", NULL), ==, 0);
    g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM c.payloads", NULL), ==, queued);
    /* Each day's parts were queued together: every batch arrived whole. */
    g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM c.batches WHERE NOT complete OR parts != 2", NULL),
                     ==, 0);
    g_assert_cmpint (pw_test_sql_int (db, "SELECT count(*) FROM c.payloads WHERE batch_id IS NULL", NULL), ==, 0);
    sqlite3_close (db);
  }
  pw_test_sql_assert_intact (office->db);
  pw_test_office_unset_env ();
  g_unsetenv (PW_PAYLOAD_ENV_PART_DEVICES);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  /* No keyring on the test's bus: the password comes from the environment. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/printwatch-test-bus", TRUE);

  g_test_add_func ("/crash/killed", test_killed);

  return g_test_run ();
}
