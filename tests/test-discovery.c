/* test-discovery.c: sweeping real simulated agents on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

/* One snmpsimd per address, each serving one recording as community
 * "public", so that one sweep meets different devices. */
typedef struct {
  char      *dir;
  GPtrArray *agents;  /* of PwTestAgent */
  guint16    port;
} Fleet;

static void
fleet_free (Fleet *fleet)
{
  g_ptr_array_unref (fleet->agents);
  pw_test_remove_tree (fleet->dir);
  g_free (fleet->dir);
  g_free (fleet);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fleet, fleet_free)

/* @recordings: NULL-terminated pairs of address and recording path. */
static Fleet *
fleet_start (const char * const *recordings)
{
  g_autoptr(Fleet) fleet = g_new0 (Fleet, 1);

  fleet->dir = pw_test_make_tmpdir ();
  fleet->agents = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_test_agent_stop);
  fleet->port = pw_test_free_udp_port ("127.0.0.1");
  g_assert_cmpint (g_chmod (fleet->dir, 0755), ==, 0);  /* snmpsimd runs as nobody */

  for (guint i = 0; recordings[i] != NULL; i += 2)
    {
      g_autofree char *data = g_build_filename (fleet->dir, recordings[i], NULL);
      g_autofree char *link = g_build_filename (data, "public.snmprec", NULL);
      g_autofree char *endpoint = g_strdup_printf ("%s:%u", recordings[i], fleet->port);
      const char *endpoints[] = { endpoint, NULL };
      g_autoptr(GError) error = NULL;
      PwTestAgent *agent;

      g_assert_cmpint (g_mkdir (data, 0755), ==, 0);
      g_assert_cmpint (symlink (recordings[i + 1], link), ==, 0);
      agent = pw_test_snmpsim_start (data, endpoints, &error);
      if (agent == NULL)
        {
          g_test_skip (error->message);
          return NULL;
        }
      g_ptr_array_add (fleet->agents, agent);
    }
  return g_steal_pointer (&fleet);
}

typedef struct {
  GMainLoop *loop;
  GPtrArray *results;
  GError    *error;
  guint      progress;
  guint      found;
} Run;

static void
progress_cb (PwDiscovery *discovery,
             Run         *run)
{
  run->progress++;
  g_assert_cmpuint (pw_discovery_get_done (discovery), ==, run->progress);
}

static void
found_cb (PwDiscovery       *discovery,
          PwDiscoveryResult *result,
          Run               *run)
{
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_PRINTER);
  run->found++;
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

static gboolean
cancel_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* Sweeps with @credentials; a @cancel_after_ms > 0 cancels the sweep then. */
static GPtrArray *
sweep_full (PwStore      *store,
            const char   *targets_text,
            GPtrArray    *credentials,
            guint         timeout_ms,
            guint         concurrency,
            GCancellable *cancellable,
            guint         cancel_after_ms,
            GError      **error)
{
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  g_autoptr(PwDiscovery) discovery = pw_discovery_new (engine, store);
  g_autoptr(PwTargetSpec) targets = pw_target_spec_parse (targets_text, 161, 0, NULL);
  Run run = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0 };

  g_assert_nonnull (targets);
  pw_snmp_engine_set_timeout (engine, timeout_ms);
  pw_snmp_engine_set_retries (engine, 0);
  pw_snmp_engine_set_concurrency (engine, concurrency);
  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, cancellable);
  g_signal_connect (discovery, "progress", G_CALLBACK (progress_cb), &run);
  g_signal_connect (discovery, "found", G_CALLBACK (found_cb), &run);
  pw_discovery_run_async (discovery, targets, credentials, cancellable, swept_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  if (run.results == NULL)
    {
      g_propagate_error (error, run.error);
      return NULL;
    }
  g_assert_cmpuint (run.progress, ==, pw_target_spec_get_count (targets));
  {
    guint answered = 0, unique = 0;

    /* ::found fires for each address that is a printer; the count is of printers. */
    for (guint i = 0; i < run.results->len; i++)
      {
        PwDiscoveryResult *result = run.results->pdata[i];

        answered += result->outcome == PW_DISCOVERY_PRINTER;
        unique += result->outcome == PW_DISCOVERY_PRINTER && !result->duplicate;
      }
    g_assert_cmpuint (run.found, ==, answered);
    g_assert_cmpuint (pw_discovery_get_found (discovery), ==, unique);
  }
  return run.results;
}

static GPtrArray *
sweep (PwStore      *store,
       const char   *targets_text,
       const char   *community,
       GCancellable *cancellable,
       GError      **error)
{
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, community, NULL));
  return sweep_full (store, targets_text, credentials, 400, PW_SNMP_ENGINE_DEFAULT_CONCURRENCY,
                     cancellable, 0, error);
}

static PwDiscoveryResult *
result_at (GPtrArray  *results,
           const char *host)
{
  for (guint i = 0; i < results->len; i++)
    if (g_str_equal (((PwDiscoveryResult *) results->pdata[i])->host, host))
      return results->pdata[i];
  return NULL;
}

static char *
fixture (const char *name)
{
  return g_strdup_printf ("%s/%s.snmprec", pw_test_fixtures_dir (), name);
}

static void
test_finds_exactly_the_printers (void)
{
  g_autofree char *laser = fixture ("generic-laser");
  g_autofree char *mfp = fixture ("generic-colour-mfp");
  g_autofree char *hostile = fixture ("hostile-printer");
  g_autofree char *router = fixture ("router");
  const char * const recordings[] = {
    "127.0.0.11", laser, "127.0.0.12", mfp, "127.0.0.13", router,
    "127.0.0.14", hostile, "127.0.0.15", laser, NULL
  };
  g_autoptr(Fleet) fleet = fleet_start (recordings);
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "discovery.db", NULL);
  g_autoptr(PwStore) store = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *targets = NULL;
  PwDiscoveryResult *result;
  guint printers = 0;

  if (fleet == NULL)
    return;
  store = pw_store_open (db, &error);
  g_assert_no_error (error);

  /* 127.0.0.8-20: five agents, eight silent addresses. */
  targets = g_strdup_printf ("127.0.0.8-20:%u", fleet->port);
  results = sweep (store, targets, "public", NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < results->len; i++)
    {
      result = results->pdata[i];
      g_test_message ("%s: outcome %d", result->host, result->outcome);
      if (result->outcome == PW_DISCOVERY_PRINTER && !result->duplicate)
        printers++;
    }
  g_assert_cmpuint (results->len, ==, 5);  /* silent addresses are not listed */
  g_assert_cmpuint (printers, ==, 3);

  result = result_at (results, "127.0.0.13");
  g_assert_nonnull (result);
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_OTHER);
  g_assert_cmpstr (pw_snapshot_get_identity (result->identity, PW_IDENTITY_SYS_NAME), ==, "edge-router");

  result = result_at (results, "127.0.0.11");
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_PRINTER);
  g_assert_true (result->printer_mib);
  g_assert_false (result->duplicate);
  g_assert_nonnull (pw_snapshot_get_identity (result->identity, PW_IDENTITY_SERIAL));
  g_assert_nonnull (pw_snapshot_get_identity (result->identity, PW_IDENTITY_MAC));
  g_assert_cmpint (result->device_id, >, 0);

  /* The same printer on a second address is one printer. */
  result = result_at (results, "127.0.0.15");
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_PRINTER);
  g_assert_true (result->duplicate);
  g_assert_cmpint (result->device_id, ==, 0);

  /* Whatever the hostile printer said, what is kept is printable. */
  result = result_at (results, "127.0.0.14");
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_PRINTER);
  for (guint f = 0; f < PW_N_IDENTITY_FIELDS; f++)
    {
      const char *value = pw_snapshot_get_identity (result->identity, f);

      g_assert_true (value == NULL || g_utf8_validate (value, -1, NULL));
      g_assert_true (value == NULL || strpbrk (value, "\n\r\x1b") == NULL);
    }

  devices = pw_store_list_devices (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 3);
  for (guint i = 0; i < devices->len; i++)
    {
      g_assert_true (pw_device_get_reachable (devices->pdata[i]));
      g_assert_cmpint (pw_device_get_last_seen (devices->pdata[i]), >, 0);
    }

  /* A second sweep finds the same printers and adds none. */
  g_clear_pointer (&results, g_ptr_array_unref);
  results = sweep (store, targets, "public", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_store_count_devices (store, NULL), ==, 3);
  pw_test_remove_tree (dir);
}

static void
test_wrong_community_is_silent (void)
{
  g_autofree char *laser = fixture ("generic-laser");
  const char * const recordings[] = { "127.0.0.21", laser, NULL };
  g_autoptr(Fleet) fleet = fleet_start (recordings);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *targets = NULL;

  if (fleet == NULL)
    return;
  targets = g_strdup_printf ("127.0.0.21:%u", fleet->port);
  results = sweep (NULL, targets, "not-the-community", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
}

/* Cancelled in the middle of a slow sweep (agents that never answer the
 * community asked): it ends promptly with CANCELLED and stores nothing. */
static void
test_cancel_midway (void)
{
  g_autofree char *laser = fixture ("generic-laser");
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *link = g_build_filename (dir, "public.snmprec", NULL);
  g_autofree char *db = g_build_filename (dir, "cancel.db", NULL);
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(PwStore) store = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *targets = NULL;
  guint16 port = pw_test_free_udp_port ("127.0.0.1");
  gint64 start;

  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (symlink (laser, link), ==, 0);
  for (guint i = 1; i <= 40; i++)
    g_ptr_array_add (endpoints, g_strdup_printf ("127.0.4.%u:%u", i, port));
  g_ptr_array_add (endpoints, NULL);
  agent = pw_test_snmpsim_start (dir, (const char * const *) endpoints->pdata, &error);
  if (agent == NULL)
    {
      g_test_skip (error->message);
      pw_test_remove_tree (dir);
      return;
    }
  store = pw_store_open (db, &error);
  g_assert_no_error (error);

  /* 40 addresses, 4 at a time, 2 s each: 20 s if it were not cancelled. */
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "nobody-knows", NULL));
  targets = g_strdup_printf ("127.0.4.1-40:%u", port);
  start = g_get_monotonic_time ();
  results = sweep_full (store, targets, credentials, 2000, 4, cancellable, 300, &error);
  g_assert_null (results);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (pw_store_count_devices (store, NULL), ==, 0);
  pw_test_remove_tree (dir);
}

/* SNMPv3 through discovery: a wrong user is refused and told, the right
 * credentials after it answer; with only wrong ones the address is REFUSED. */
static void
test_v3 (void)
{
  PwTestV3User user = { "pwadmin", "SHA-256", "correct horse battery", "AES", "staple printer" };
  g_autofree char *endpoint = NULL, *targets = NULL;
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  PwDiscoveryResult *result;
  guint16 port = pw_test_free_udp_port ("127.0.0.51");

  endpoint = g_strdup_printf ("127.0.0.51:%u", port);
  agent = pw_test_snmpd_start (endpoint, &user, 1, NULL, &error);
  if (agent == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  targets = g_strdup_printf ("127.0.0.51:%u", port);

  g_ptr_array_add (credentials, pw_snmp_credentials_new_v3 ("pwadmin", PW_SNMP_AUTH_SHA256, "wrong passphrase",
                                                            PW_SNMP_PRIV_AES128, "staple printer", NULL));
  results = sweep_full (NULL, targets, credentials, 1000, 8, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  result = results->pdata[0];
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_REFUSED);
  g_assert_nonnull (result->message);
  g_test_message ("refused: %s", result->message);
  g_clear_pointer (&results, g_ptr_array_unref);

  g_ptr_array_add (credentials, pw_snmp_credentials_new_v3 ("pwadmin", PW_SNMP_AUTH_SHA256, "correct horse battery",
                                                            PW_SNMP_PRIV_AES128, "staple printer", NULL));
  results = sweep_full (NULL, targets, credentials, 1000, 8, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  result = results->pdata[0];
  g_assert_cmpint (result->outcome, ==, PW_DISCOVERY_OTHER);  /* snmpd is no printer */
  g_assert_cmpuint (result->credentials, ==, 1);
  g_assert_cmpstr (pw_snapshot_get_identity (result->identity, PW_IDENTITY_SYS_NAME), ==, "pw-test-snmpd");
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled before it starts: ends at once, cleanly. */
  g_cancellable_cancel (cancellable);
  results = sweep (NULL, "127.0.1.0/24:9", "public", cancellable, &error);
  g_assert_null (results);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Each recording of the corpus, served by one snmpsimd and swept one by one:
 * every printer is found and its vendor told. */
static void
test_walks (void)
{
  const char *walks = pw_test_walks_dir ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PwTestAgent) agent = NULL;
  g_autoptr(GList) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  const char *endpoints[2] = { NULL, NULL };
  guint16 port;
  JsonObject *expected;
  guint n = 0, found = 0, vendors = 0, serials = 0, serials_asserted = 0;

  if (walks == NULL)
    {
      g_test_skip ("printer-walks corpus not found, skipping");
      return;
    }
  port = pw_test_free_udp_port ("127.0.0.31");
  endpoint = g_strdup_printf ("127.0.0.31:%u", port);
  endpoints[0] = endpoint;
  agent = pw_test_snmpsim_start (walks, endpoints, &error);
  if (agent == NULL)
    {
      g_test_skip (error->message);
      return;
    }

  expected = pw_test_load_walks_expected (walks, parser);
  names = json_object_get_members (expected);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *entry = json_object_get_object_member (expected, l->data);
      const char *want_vendor = json_object_get_string_member (entry, "vendor");
      const char *want_serial = json_object_get_string_member_with_default (entry, "serial", NULL);
      g_autofree char *target = g_strdup_printf ("127.0.0.31:%u", port);
      g_autoptr(GPtrArray) results = sweep (NULL, target, l->data, NULL, &error);
      PwDiscoveryResult *result;
      const char *vendor, *serial;

      g_assert_no_error (error);
      n++;
      if (results->len != 1 || ((PwDiscoveryResult *) results->pdata[0])->outcome != PW_DISCOVERY_PRINTER)
        {
          g_test_message ("%s: not found as a printer", (char *) l->data);
          continue;
        }
      found++;
      result = results->pdata[0];
      vendor = pw_snapshot_get_identity (result->identity, PW_IDENTITY_VENDOR);
      serial = pw_snapshot_get_identity (result->identity, PW_IDENTITY_SERIAL);
      if (vendor != NULL && g_str_has_prefix (want_vendor, vendor))
        vendors++;
      else
        g_test_message ("%s: vendor %s, expected %s", (char *) l->data, vendor, want_vendor);
      if (want_serial != NULL)
        {
          serials_asserted++;
          if (g_strcmp0 (serial, want_serial) == 0)
            serials++;
          else
            g_test_message ("%s: serial %s, expected %s", (char *) l->data, serial, want_serial);
        }
    }

  g_printerr ("walks: found %u/%u as printers, vendor %u/%u, serial %u/%u\n",
              found, n, vendors, found, serials, serials_asserted);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (found, ==, n);
  g_assert_cmpuint (vendors, ==, found);
}

static char *
run_cli (int          *status,
         char        **err,
         const char   *db,
         const char  **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PW_CLI"));
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, (gpointer) db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (process);
  g_test_message ("%s\n%s", out, *err);
  return out;
}

static void
test_cli (void)
{
  g_autofree char *laser = fixture ("generic-laser");
  g_autofree char *router = fixture ("router");
  const char * const recordings[] = { "127.0.0.41", laser, "127.0.0.42", router, NULL };
  g_autoptr(Fleet) fleet = fleet_start (recordings);
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cli.db", NULL);
  g_autofree char *range = NULL, *out = NULL, *err = NULL, *list = NULL, *list_err = NULL;
  g_autofree char *bad_out = NULL, *bad_err = NULL;
  int status = -1;

  if (fleet == NULL)
    return;
  range = g_strdup_printf ("127.0.0.40-44:%u", fleet->port);
  out = run_cli (&status, &err, db, (const char *[]) { "discover", range, "--timeout", "300", NULL });
  g_assert_cmpint (status, ==, 0);
  /* Not a terminal: plain progress lines and one line per printer on stderr. */
  g_assert_nonnull (strstr (err, "5/5, 1 printer found"));
  g_assert_nonnull (strstr (err, "Found 127.0.0.41:"));
  g_assert_nonnull (strstr (out, "LP2040-000123"));
  g_assert_nonnull (strstr (out, "Swept 5 addresses"));
  g_assert_nonnull (strstr (out, "1 printers (0 seen on a second address), 1 other SNMP agents, 0 refused, 0 failed, 3 silent"));

  list = run_cli (&status, &list_err, db, (const char *[]) { "list", NULL });
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (list, "127.0.0.41:"));
  g_assert_null (strstr (list, "127.0.0.42"));  /* the router is not stored */

  /* What was found can then be polled, shown and followed. */
  {
    g_autofree char *poll = NULL, *poll_err = NULL, *show = NULL, *show_err = NULL;
    g_autofree char *history = NULL, *history_err = NULL;
    g_autofree char *device = g_strdup_printf ("127.0.0.41:%u", fleet->port);

    poll = run_cli (&status, &poll_err, db, (const char *[]) { "poll", "--all", NULL });
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (poll, "1 of 1 printer read."));
    show = run_cli (&status, &show_err, db, (const char *[]) { "show", device, NULL });
    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_regex_match_simple ("Total +48213", show, 0, 0));
    history = run_cli (&status, &history_err, db, (const char *[]) { "history", device, NULL });
    g_assert_nonnull (strstr (history, ": 1 meter read\n"));
  }

  bad_out = run_cli (&status, &bad_err, db, (const char *[]) { "discover", "10.0.0.0/33", NULL });
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (bad_out, ==, "");
  g_assert_nonnull (strstr (bad_err, "“10.0.0.0/33”"));
  pw_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/discovery/finds-exactly-the-printers", test_finds_exactly_the_printers);
  g_test_add_func ("/discovery/wrong-community-is-silent", test_wrong_community_is_silent);
  g_test_add_func ("/discovery/cancel", test_cancel);
  g_test_add_func ("/discovery/cancel-midway", test_cancel_midway);
  g_test_add_func ("/discovery/v3", test_v3);
  g_test_add_func ("/discovery/walks", test_walks);
  g_test_add_func ("/discovery/cli", test_cli);

  return g_test_run ();
}
