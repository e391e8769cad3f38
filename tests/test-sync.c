/* test-sync.c: the daily transmission, end to end.
 *
 * PwAgent polls a printer served by snmpsimd, commits the payload to the
 * outbox and sends it over real TLS to printwatch-collector on loopback,
 * with a CA the test makes. A wrong password, a server that is down or
 * answers 500 keep the payload for later; nothing is lost. A fleet larger
 * than a part (lowered here) goes in parts, each retried on its own and
 * stored once; the sync's store work never runs on the main loop.
 * (printwatch-cli killed at random points of polls and syncs: test-crash.c.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-payload-private.h"
#include "pw-store-private.h"
#include "pw-test-snmp.h"
#include "pw-test-utils.h"
#include "servers/pw-test-http.h"
#include "servers/pw-test-tls.h"

#include <sqlite3.h>
#include <string.h>

#define USER     "printwatch"
#define PASSWORD "s3cret-pass"

typedef struct {
  char          *dir;
  char          *db;
  PwTestPki     *pki;
  PwTestAgent   *snmp;      /* snmpsimd with the fixtures */
  guint16        snmp_port;
  PwTestServer  *collector;
  PwStore       *store;
  PwAgent       *agent;
} Fixture;

static void
set_env (const char *url,
         const char *ca_file,
         const char *password)
{
  g_setenv (PW_AGENT_ENV_SERVER_URL, url, TRUE);
  g_setenv (PW_AGENT_ENV_CA_FILE, ca_file, TRUE);
  g_setenv (PW_AGENT_ENV_SERVER_USER, USER, TRUE);
  g_setenv (PW_AGENT_ENV_AUTH, "basic", TRUE);
  g_setenv (PW_AGENT_ENV_SITE_NAME, "Test site", TRUE);
  g_setenv (PW_SECRET_PASSWORD_ENV, password, TRUE);
}

static gboolean
fixture_setup (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *url = NULL;
  const char *endpoints[2] = { NULL, NULL };
  g_autoptr(PwDevice) device = NULL;
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);

  fixture->dir = pw_test_make_tmpdir ();
  fixture->db = g_build_filename (fixture->dir, "agent.db", NULL);
  fixture->pki = pw_test_pki_new (&error);
  if (fixture->pki == NULL)
    {
      g_test_skip (error->message);
      return FALSE;
    }
  fixture->snmp_port = pw_test_free_udp_port ("127.0.0.74");
  endpoint = g_strdup_printf ("127.0.0.74:%u", fixture->snmp_port);
  endpoints[0] = endpoint;
  fixture->snmp = pw_test_snmpsim_start (pw_test_fixtures_dir (), endpoints, &error);
  if (fixture->snmp == NULL)
    {
      g_test_skip (error->message);
      return FALSE;
    }
  fixture->collector = pw_test_collector_start (fixture->pki->server_cert, fixture->pki->server_key,
                                                USER ":" PASSWORD "\n", NULL, &error);
  if (fixture->collector == NULL)
    {
      g_test_skip (error->message);
      return FALSE;
    }
  url = pw_test_server_get_url (fixture->collector);
  set_env (url, fixture->pki->ca_file, PASSWORD);

  fixture->store = pw_store_open (fixture->db, &error);
  g_assert_no_error (error);
  device = pw_store_add_device (fixture->store, "127.0.0.74", fixture->snmp_port, &error);
  g_assert_no_error (error);
  fixture->agent = pw_agent_new (fixture->store);
  g_assert_true (pw_agent_configure (fixture->agent, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_add (credentials, pw_snmp_credentials_new_community (PW_SNMP_VERSION_2C, "generic-laser", NULL));
  pw_agent_set_snmp_credentials (fixture->agent, credentials);
  return TRUE;
}

static void
fixture_teardown (Fixture *fixture)
{
  g_clear_object (&fixture->agent);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->collector, pw_test_server_free);
  g_clear_pointer (&fixture->snmp, pw_test_agent_stop);
  g_clear_pointer (&fixture->pki, pw_test_pki_free);
  if (fixture->dir != NULL)
    pw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  for (const char * const *v = (const char * const[]) { PW_AGENT_ENV_SERVER_URL, PW_AGENT_ENV_CA_FILE,
                                                        PW_AGENT_ENV_SERVER_USER, PW_AGENT_ENV_AUTH,
                                                        PW_AGENT_ENV_SITE_NAME, PW_SECRET_PASSWORD_ENV, NULL };
       *v != NULL; v++)
    g_unsetenv (*v);
}

typedef struct {
  GMainLoop     *loop;
  PwSyncSummary  summary;
  gboolean       ok;
  GError        *error;
} Wait;

static void
synced_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = pw_agent_sync_finish (PW_AGENT (source), res, &wait->summary, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
sync_agent (PwAgent           *agent,
            PwAgentSyncFlags   flags,
            PwSyncSummary     *summary,
            GError           **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), { 0 }, FALSE, NULL };

  pw_agent_sync_async (agent, flags, NULL, synced_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  *summary = wait.summary;
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

static gint64
collector_count (PwTestServer *server,
                 const char   *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (pw_test_server_get_database (server), &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static guint
outbox_length (PwStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = pw_store_outbox_list (store, 0, &error);

  g_assert_no_error (error);
  return items->len;
}

/* Poll, queue, send: the collector stores it, the window tells. */
static void
test_success (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *last_error = NULL;
  PwSyncSummary summary;

  if (fixture_setup (&fixture))
    {
      gint64 before = g_get_real_time () / G_USEC_PER_SEC;

      g_assert_true (sync_agent (fixture.agent, PW_AGENT_SYNC_DAILY, &summary, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (summary.polled, ==, 1);
      g_assert_cmpuint (summary.answered, ==, 1);
      g_assert_true (summary.queued);
      g_assert_cmpuint (summary.sent, ==, 1);
      g_assert_cmpuint (summary.waiting, ==, 0);
      g_assert_cmpuint (outbox_length (fixture.store), ==, 0);
      g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 1);
      g_assert_cmpint (collector_count (fixture.collector,
                                        "SELECT value FROM counters WHERE name = 'total'"), ==, 48213);
      g_assert_cmpint (pw_agent_get_last_poll (fixture.agent), >=, before);
      g_assert_cmpint (pw_agent_get_last_server_contact (fixture.agent), >=, before);
      g_assert_cmpint (pw_agent_get_last_success (fixture.agent), >=, before);
      g_assert_cmpint (pw_agent_get_next_sync (fixture.agent), >, before);
      last_error = pw_agent_dup_last_error (fixture.agent);
      g_assert_null (last_error);
    }
  fixture_teardown (&fixture);
}

static void
count_polled_cb (PwAgent      *agent,
                 PwPollResult *result,
                 guint        *count)
{
  g_assert_true (result->ok);
  (*count)++;
}

static void
poll_done_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GPtrArray) results = pw_agent_poll_finish (PW_AGENT (source), res, &wait->error);

  wait->ok = results != NULL && results->len == 1;
  g_main_loop_quit (wait->loop);
}

/* "Poll now": every device, its news told as it comes; nothing is sent. */
static void
test_poll_now (void)
{
  Fixture fixture = { 0 };
  guint polled = 0;

  if (fixture_setup (&fixture))
    {
      Wait wait = { g_main_loop_new (NULL, FALSE), { 0 }, FALSE, NULL };

      g_signal_connect (fixture.agent, "device-polled", G_CALLBACK (count_polled_cb), &polled);
      pw_agent_poll_async (fixture.agent, NULL, NULL, poll_done_cb, &wait);
      g_main_loop_run (wait.loop);
      g_main_loop_unref (wait.loop);
      g_assert_no_error (wait.error);
      g_assert_true (wait.ok);
      g_assert_cmpuint (polled, ==, 1);
      g_assert_cmpuint (outbox_length (fixture.store), ==, 0);
    }
  fixture_teardown (&fixture);
}

/* A wrong password: the server answered (contact), nothing sent, nothing lost. */
static void
test_wrong_password (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *last_error = NULL;
  PwSyncSummary summary;

  if (fixture_setup (&fixture))
    {
      g_setenv (PW_SECRET_PASSWORD_ENV, "not-the-password", TRUE);
      g_assert_false (sync_agent (fixture.agent, PW_AGENT_SYNC_DAILY, &summary, &error));
      g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_AUTH);
      g_assert_cmpuint (summary.sent, ==, 0);
      g_assert_cmpuint (summary.waiting, ==, 1);
      g_assert_cmpint (pw_agent_get_last_server_contact (fixture.agent), >, 0);
      g_assert_cmpint (pw_agent_get_last_success (fixture.agent), ==, 0);
      last_error = pw_agent_dup_last_error (fixture.agent);
      g_assert_nonnull (last_error);
      g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 0);
      g_clear_error (&error);

      /* The password fixed, the waiting payload goes. */
      g_setenv (PW_SECRET_PASSWORD_ENV, PASSWORD, TRUE);
      g_assert_true (sync_agent (fixture.agent, PW_AGENT_SYNC_UPLOAD | PW_AGENT_SYNC_FORCE, &summary, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (summary.sent, ==, 1);
      g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 1);
    }
  fixture_teardown (&fixture);
}

static void
payload_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  GPtrArray *payloads = pw_agent_next_payload_finish (PW_AGENT (source), res, &error);

  g_assert_no_error (error);
  g_task_return_pointer (task, payloads, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static gboolean
done_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_main_loop_quit (user_data);
  return FALSE;
}

/* What pw_agent_next_payload_async () says goes next, fresh or waiting. */
static GPtrArray *
next_payloads (PwAgent  *agent,
               gboolean  fresh)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GTask) task = g_task_new (NULL, NULL, (GAsyncReadyCallback) done_cb, loop);

  pw_agent_next_payload_async (agent, fresh, NULL, payload_cb, g_object_ref (task));
  g_main_loop_run (loop);
  return g_task_propagate_pointer (task, NULL);
}

static PwPayload *
next_payload (PwAgent *agent)
{
  g_autoptr(GPtrArray) payloads = next_payloads (agent, TRUE);

  g_assert_cmpuint (payloads->len, ==, 1);
  return g_object_ref (payloads->pdata[0]);
}

static void
uploaded_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  PwUploadResult *result = pw_uploader_upload_finish (PW_UPLOADER (source), res, &error);

  g_assert_no_error (error);
  g_task_return_pointer (task, result, (GDestroyNotify) pw_upload_result_free);
  g_object_unref (task);
}

static PwUploadResult *
upload (PwAgent   *agent,
        PwPayload *payload)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GTask) task = g_task_new (NULL, NULL, (GAsyncReadyCallback) done_cb, loop);

  pw_uploader_upload_async (pw_agent_get_uploader (agent), pw_payload_get_id (payload),
                            pw_payload_get_bytes (payload), NULL, uploaded_cb, g_object_ref (task));
  g_main_loop_run (loop);
  return g_task_propagate_pointer (task, NULL);
}

/* Days of outage, then the server is back: every payload arrives once. */
static void
test_outage (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestFake) busy = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *url = NULL;
  g_autofree char *busy_url = NULL;
  PwSyncSummary summary;

  if (!fixture_setup (&fixture))
    {
      fixture_teardown (&fixture);
      return;
    }
  url = pw_test_server_get_url (fixture.collector);

  /* Down: nobody listens on the port. */
  g_setenv (PW_AGENT_ENV_SERVER_URL, "https://127.0.0.1:9/api/v1/uploads", TRUE);
  g_assert_true (pw_agent_configure (fixture.agent, NULL, &error));
  g_assert_false (sync_agent (fixture.agent, PW_AGENT_SYNC_DAILY, &summary, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_NETWORK);
  g_assert_true (pw_uploader_error_is_retryable (error));
  g_clear_error (&error);
  g_assert_cmpint (pw_agent_get_last_server_contact (fixture.agent), ==, 0);

  /* Silent: it accepts and never answers; the upload times out and waits. */
  {
    g_autoptr(PwTestSilent) silent = pw_test_silent_start ();
    g_autofree char *silent_url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/uploads", silent->port);

    g_setenv (PW_AGENT_ENV_SERVER_URL, silent_url, TRUE);
    g_assert_true (pw_agent_configure (fixture.agent, NULL, &error));
    pw_uploader_set_timeout (pw_agent_get_uploader (fixture.agent), 1);
    g_assert_false (sync_agent (fixture.agent, PW_AGENT_SYNC_UPLOAD | PW_AGENT_SYNC_FORCE, &summary, &error));
    g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_TIMEOUT);
    g_clear_error (&error);
    g_assert_cmpuint (summary.waiting, ==, 1);
    pw_uploader_set_timeout (pw_agent_get_uploader (fixture.agent), PW_UPLOADER_DEFAULT_TIMEOUT);
  }

  /* Overloaded: 500, retried later. */
  busy = pw_test_fake_start (500, "application/json", "{\"status\": \"error\"}");
  busy_url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/uploads", busy->port);
  g_setenv (PW_AGENT_ENV_SERVER_URL, busy_url, TRUE);
  g_assert_true (pw_agent_configure (fixture.agent, NULL, &error));
  g_assert_false (sync_agent (fixture.agent, PW_AGENT_SYNC_DAILY, &summary, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_cmpuint (summary.waiting, ==, 2);
  /* The first payload is not due again yet (back-off): only the new one was tried. */
  g_assert_cmpuint (busy->requests, ==, 1);
  items = pw_store_outbox_list (fixture.store, 0, &error);
  g_assert_cmpuint (items->len, ==, 2);
  for (guint i = 0; i < items->len; i++)
    {
      const PwOutboxItem *item = items->pdata[i];

      /* The first: refused, then timed out; the second: one 500. */
      g_assert_cmpuint (item->attempts, ==, i == 0 ? 2 : 1);
      g_assert_cmpint (item->next_attempt_at, >, g_get_real_time () / G_USEC_PER_SEC);
      g_assert_nonnull (item->last_error);
    }
  /* Not due yet: a plain upload round sends nothing. */
  g_assert_true (sync_agent (fixture.agent, PW_AGENT_SYNC_UPLOAD, &summary, &error));
  g_assert_cmpuint (summary.sent, ==, 0);
  g_assert_cmpuint (busy->requests, ==, 1);

  /* Back: both go, once each; a third, fresh one too. */
  g_setenv (PW_AGENT_ENV_SERVER_URL, url, TRUE);
  g_assert_true (pw_agent_configure (fixture.agent, NULL, &error));
  g_assert_true (sync_agent (fixture.agent, PW_AGENT_SYNC_DAILY | PW_AGENT_SYNC_FORCE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.sent, ==, 3);
  g_assert_cmpuint (outbox_length (fixture.store), ==, 0);
  g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 3);

  /* A payload sent twice is stored once: the second is a harmless duplicate. */
  {
    g_autoptr(PwPayload) payload = next_payload (fixture.agent);
    g_autoptr(PwUploadResult) first = upload (fixture.agent, payload);
    g_autoptr(PwUploadResult) second = upload (fixture.agent, payload);

    g_assert_cmpuint (first->http_status, ==, 201);
    g_assert_cmpuint (second->http_status, ==, 200);
    g_assert_true (second->acknowledged && second->duplicate);
    g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 4);
  }
  fixture_teardown (&fixture);
}

/* Devices with a reading each, beside the fixture's printer: a fleet of @n. */
static void
add_read_devices (PwStore *store,
                  guint    n)
{
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *host = g_strdup_printf ("127.0.0.%u", 100 + i);
      g_autofree char *serial = g_strdup_printf ("PART-%02u", i);
      g_autoptr(GError) error = NULL;
      g_autoptr(PwDevice) device = pw_store_add_device (store, host, 161, &error);
      g_autoptr(PwSnapshot) snapshot = pw_snapshot_new (g_get_real_time () / G_USEC_PER_SEC - 60);

      g_assert_no_error (error);
      pw_snapshot_set_identity (snapshot, PW_IDENTITY_SERIAL, serial);
      pw_snapshot_add_counter (snapshot, "total", 1000 + i, "impressions");
      g_assert_true (pw_store_append_snapshot (store, pw_device_get_id (device), snapshot, &error));
      g_assert_no_error (error);
    }
}

/* The keys of the sync log's "upload" lines, oldest first, each with "+" when it was
 * acknowledged, "-" when not. */
static char *
uploads (PwStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pw_store_sync_log_list (store, 0, 1, 0, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      const PwSyncLogEntry *entry = entries->pdata[i];

      if (g_str_equal (entry->event, "upload"))
        g_string_append_printf (out, "%s%s ", entry->ok ? "+" : "-", entry->idempotency_key);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A fleet of five in parts of two: three payloads of one batch, committed together, each
 * sent and retried on its own, oldest first; each stored once at the collector. */
static void
test_parts (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *before = NULL;
  PwSyncSummary summary;

  if (!fixture_setup (&fixture))
    {
      fixture_teardown (&fixture);
      return;
    }
  url = pw_test_server_get_url (fixture.collector);
  add_read_devices (fixture.store, 5);
  _pw_payload_set_part_devices (2);

  /* Down: the three parts wait, together, in order; the round stopped at the first. */
  g_setenv (PW_AGENT_ENV_SERVER_URL, "https://127.0.0.1:9/api/v1/uploads", TRUE);
  g_assert_true (pw_agent_configure (fixture.agent, NULL, &error));
  g_assert_false (sync_agent (fixture.agent, PW_AGENT_SYNC_QUEUE | PW_AGENT_SYNC_UPLOAD, &summary, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_true (summary.queued);
  g_assert_cmpuint (summary.waiting, ==, 3);
  items = pw_store_outbox_list (fixture.store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  for (guint i = 0; i < items->len; i++)
    {
      const PwOutboxItem *item = items->pdata[i];
      const PwOutboxItem *first = items->pdata[0];

      g_assert_nonnull (item->batch_id);
      g_assert_cmpstr (item->batch_id, ==, first->batch_id);
      g_assert_cmpstr (item->idempotency_key, !=, item->batch_id);
      g_assert_cmpuint (item->batch_index, ==, i);
      g_assert_cmpuint (item->batch_count, ==, 3);
      g_assert_cmpuint (item->n_devices, ==, i < 2 ? 2 : 1);
      g_assert_cmpuint (item->payload_size, ==, g_bytes_get_size (item->payload));
      g_assert_cmpuint (item->attempts, ==, i == 0 ? 1 : 0);
    }

  /* What goes next: the batch's parts still waiting, byte for byte. */
  waiting = next_payloads (fixture.agent, FALSE);
  g_assert_cmpuint (waiting->len, ==, 3);
  for (guint i = 0; i < waiting->len; i++)
    {
      const PwOutboxItem *item = items->pdata[i];

      g_assert_cmpstr (pw_payload_get_id (waiting->pdata[i]), ==, item->idempotency_key);
      g_assert_true (g_bytes_equal (pw_payload_get_bytes (waiting->pdata[i]), item->payload));
      g_assert_cmpuint (pw_payload_get_part_index (waiting->pdata[i]), ==, i);
      g_assert_cmpuint (pw_payload_get_part_count (waiting->pdata[i]), ==, 3);
    }

  /* Back: the two parts that are due go, the first waits out its back-off. */
  g_setenv (PW_AGENT_ENV_SERVER_URL, url, TRUE);
  g_assert_true (pw_agent_configure (fixture.agent, NULL, &error));
  before = uploads (fixture.store);
  g_assert_true (sync_agent (fixture.agent, PW_AGENT_SYNC_UPLOAD, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.sent, ==, 2);
  g_assert_cmpuint (summary.waiting, ==, 1);
  expected = g_strdup_printf ("+%s +%s ", ((PwOutboxItem *) items->pdata[1])->idempotency_key,
                              ((PwOutboxItem *) items->pdata[2])->idempotency_key);
  sent = uploads (fixture.store);
  g_assert_true (g_str_has_prefix (sent, before));
  g_assert_cmpstr (sent + strlen (before), ==, expected);
  g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 2);

  /* Forced: the last one goes too. Every part once, one batch, every device once. */
  g_assert_true (sync_agent (fixture.agent, PW_AGENT_SYNC_UPLOAD | PW_AGENT_SYNC_FORCE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.sent, ==, 1);
  g_assert_cmpuint (outbox_length (fixture.store), ==, 0);
  g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 3);
  g_assert_cmpint (collector_count (fixture.collector, "SELECT count(DISTINCT batch_id) FROM payloads"), ==, 1);
  g_assert_cmpint (collector_count (fixture.collector, "SELECT sum(batch_index) FROM payloads WHERE batch_count = 3"),
                   ==, 0 + 1 + 2);
  g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM devices"), ==, 5);
  g_assert_cmpint (collector_count (fixture.collector, "SELECT count(DISTINCT device_id) FROM devices"), ==, 5);

  /* Sent again by hand, a part is a duplicate: stored once. */
  {
    g_autoptr(PwPayload) part = pw_payload_new_from_item (items->pdata[0]);
    g_autoptr(PwUploadResult) again = upload (fixture.agent, part);

    g_assert_true (again->acknowledged && again->duplicate);
    g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 3);
  }
  _pw_payload_set_part_devices (0);
  fixture_teardown (&fixture);
}

/* The sync's store work runs on worker threads: with the store set to cry out when used on
 * the main loop (a critical, fatal here), a sync in parts, down and then up, goes through. */
static void
test_main_loop_free (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  PwSyncSummary summary;

  if (!fixture_setup (&fixture))
    {
      fixture_teardown (&fixture);
      return;
    }
  url = pw_test_server_get_url (fixture.collector);
  add_read_devices (fixture.store, 3);
  _pw_payload_set_part_devices (2);
  _pw_store_forbid_main_loop (fixture.store, TRUE);

  g_setenv (PW_AGENT_ENV_SERVER_URL, "https://127.0.0.1:9/api/v1/uploads", TRUE);
  g_assert_true (pw_agent_configure (fixture.agent, NULL, &error));
  g_assert_false (sync_agent (fixture.agent, PW_AGENT_SYNC_QUEUE | PW_AGENT_SYNC_UPLOAD, &summary, &error));
  g_assert_error (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (summary.waiting, ==, 2);

  g_setenv (PW_AGENT_ENV_SERVER_URL, url, TRUE);
  g_assert_true (pw_agent_configure (fixture.agent, NULL, &error));
  g_assert_true (sync_agent (fixture.agent, PW_AGENT_SYNC_QUEUE | PW_AGENT_SYNC_UPLOAD | PW_AGENT_SYNC_FORCE,
                             &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.sent, ==, 4);
  g_assert_cmpuint (summary.waiting, ==, 0);
  g_assert_cmpint (collector_count (fixture.collector, "SELECT count(*) FROM payloads"), ==, 4);
  {
    g_autoptr(GPtrArray) payloads = next_payloads (fixture.agent, FALSE);

    g_assert_cmpuint (payloads->len, ==, 2);
  }

  _pw_store_forbid_main_loop (fixture.store, FALSE);
  _pw_payload_set_part_devices (0);
  fixture_teardown (&fixture);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  /* No keyring on the test's bus: the password comes from the environment. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/printwatch-test-bus", TRUE);

  g_test_add_func ("/sync/success", test_success);
  g_test_add_func ("/sync/poll-now", test_poll_now);
  g_test_add_func ("/sync/wrong-password", test_wrong_password);
  g_test_add_func ("/sync/outage", test_outage);
  g_test_add_func ("/sync/parts", test_parts);
  g_test_add_func ("/sync/main-loop-free", test_main_loop_free);

  return g_test_run ();
}
