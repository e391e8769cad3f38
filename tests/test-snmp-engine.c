/* test-snmp-engine.c: PwSnmpEngine against real agents on loopback.
 *
 * snmpsimd serves the project's recordings (tests/fixtures/snmp) on twenty
 * addresses, net-snmp's snmpd serves SNMPv3 users, and fake agents
 * (pw-test-fake-agent.c, on the test's main loop) stay silent or answer the
 * way broken and hostile agents do. Values read through the engine are
 * compared with what the .snmprec files hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "printwatch-core.h"
#include "pw-test-utils.h"
#include "pw-test-snmp.h"
#include "pw-test-fake-agent.h"
#include "pw-test-snmprec.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>

#define N_SIM_ADDRESSES 20

typedef GPtrArray *(*FinishFunc) (PwSnmpEngine  *engine,
                                  GAsyncResult  *result,
                                  GError       **error);

typedef struct {
  FinishFunc  finish;
  GPtrArray  *varbinds;
  GError     *error;
  gboolean    done;
  gint64      done_at;  /* monotonic µs */
} Reply;

/* Agents shared by the tests, started on first use, stopped at the end. */
static PwTestAgent *sim;
static char *sim_endpoints[N_SIM_ADDRESSES + 1];
static GError *sim_error;
static PwTestAgent *snmpd;
static const char snmpd_host[] = "127.0.0.3";
static guint16 snmpd_port;
static GError *snmpd_error;

static const PwTestV3User v3_users[] = {
  { "pw-sha256", "SHA-256", "auth-pass-256", "AES", "priv-pass-128" },
  { "pw-strong", "SHA-512", "auth-pass-512", "AES-256", "priv-pass-256" },
  { "pw-md5des", "MD5", "auth-pass-md5", "DES", "priv-pass-des" },
  { "pw-authonly", "SHA", "auth-pass-only", NULL, NULL },
  { "pw-noauth", NULL, NULL, NULL, NULL },
};

/* Helpers */

static void
reply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Reply *reply = user_data;

  g_assert_true (PW_IS_SNMP_ENGINE (source));
  reply->varbinds = reply->finish (PW_SNMP_ENGINE (source), result, &reply->error);
  g_assert_true ((reply->varbinds == NULL) != (reply->error == NULL));
  reply->done = TRUE;
  reply->done_at = g_get_monotonic_time ();
}

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->varbinds, g_ptr_array_unref);
  g_clear_error (&reply->error);
  reply->done = FALSE;
}

static void
wait_replies (Reply *replies,
              guint  n)
{
  for (guint i = 0; i < n; i++)
    while (!replies[i].done)
      g_main_context_iteration (NULL, TRUE);
}

static PwSnmpCredentials *
community (PwSnmpVersion  version,
           const char    *name)
{
  g_autoptr(GError) error = NULL;
  PwSnmpCredentials *credentials = pw_snmp_credentials_new_community (version, name, &error);

  g_assert_no_error (error);
  return credentials;
}

static PwSnmpCredentials *
v3_of (const PwTestV3User *user)
{
  g_autoptr(GError) error = NULL;
  PwSnmpAuthProtocol auth = PW_SNMP_AUTH_NONE;
  PwSnmpPrivProtocol priv = PW_SNMP_PRIV_NONE;
  PwSnmpCredentials *credentials;

  /* The names as snmpd's createUser takes them, parsed as an admin's would be. */
  g_assert_true (pw_snmp_auth_protocol_parse (user->auth_proto, &auth, &error));
  g_assert_true (pw_snmp_priv_protocol_parse (user->priv_proto, &priv, &error));
  credentials = pw_snmp_credentials_new_v3 (user->name, auth, user->auth_pass, priv,
                                            user->priv_pass, &error);
  g_assert_no_error (error);
  return credentials;
}

static PwSnmpEngine *
engine_new (guint timeout_ms,
            guint retries)
{
  PwSnmpEngine *engine = pw_snmp_engine_new ();

  pw_snmp_engine_set_timeout (engine, timeout_ms);
  pw_snmp_engine_set_retries (engine, retries);
  return engine;
}

static void
split_endpoint (const char  *endpoint,
                char       **host,
                guint16     *port)
{
  const char *colon = strrchr (endpoint, ':');

  *host = g_strndup (endpoint, colon - endpoint);
  *port = (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
}

/* Returns: FALSE, with the test skipped, if @agent could not start for lack of a tool */
static gboolean
agent_or_skip (PwTestAgent *agent,
               GError      *error,
               const char  *name)
{
  if (agent != NULL)
    return TRUE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_error ("%s: %s", name, error->message);
  g_test_skip (error->message);
  return FALSE;
}

/* Starts snmpsimd on N_SIM_ADDRESSES addresses once, and gives the first. */
static gboolean
need_sim (char    **host,
          guint16  *port)
{
  if (sim == NULL && sim_error == NULL)
    {
      for (guint i = 0; i < N_SIM_ADDRESSES; i++)
        {
          g_autofree char *address = g_strdup_printf ("127.0.0.%u", 10 + i);

          sim_endpoints[i] = g_strdup_printf ("%s:%u", address, pw_test_free_udp_port (address));
        }
      sim = pw_test_snmpsim_start (pw_test_fixtures_dir (), (const char * const *) sim_endpoints,
                                   &sim_error);
    }
  if (!agent_or_skip (sim, sim_error, "snmpsimd"))
    return FALSE;
  if (host != NULL)
    split_endpoint (sim_endpoints[0], host, port);
  return TRUE;
}

/* Starts snmpd with the v3 users and community "public" once. */
static gboolean
need_snmpd (void)
{
  if (snmpd == NULL && snmpd_error == NULL)
    {
      g_autofree char *endpoint = NULL;

      snmpd_port = pw_test_free_udp_port (snmpd_host);
      endpoint = g_strdup_printf ("%s:%u", snmpd_host, snmpd_port);
      snmpd = pw_test_snmpd_start (endpoint, v3_users, G_N_ELEMENTS (v3_users), "public",
                                   &snmpd_error);
    }
  return agent_or_skip (snmpd, snmpd_error, "snmpd");
}

static void
assert_error (Reply       *reply,
              GQuark       domain,
              int          code,
              const char  *fragment)
{
  g_assert_true (reply->done);
  g_assert_error (reply->error, domain, code);
  if (fragment != NULL && strstr (reply->error->message, fragment) == NULL)
    g_error ("“%s” lacks “%s”", reply->error->message, fragment);
}

static gint64
elapsed_ms (gint64 start,
            Reply *reply)
{
  return (reply->done_at - start) / 1000;
}

/* Requests on a recording */

static void
test_get (void)
{
  g_autoptr(PwSnmpEngine) engine = engine_new (1000, 1);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "generic-laser");
  g_autoptr(PwSnmpCredentials) v1 = community (PW_SNMP_VERSION_1, "generic-laser");
  g_autoptr(GPtrArray) records = pw_test_snmprec_load ("generic-laser");
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  const char * const some[] = {
    "1.3.6.1.2.1.1.1.0", ".1.3.6.1.2.1.1.99.0", "1.3.6.1.2.1.1.3.0", NULL
  };
  Reply replies[3] = { { pw_snmp_engine_get_finish }, { pw_snmp_engine_get_finish },
                       { pw_snmp_engine_get_finish } };
  g_autofree char *host = NULL;
  guint16 port;

  if (!need_sim (&host, &port))
    return;

  /* Every object of the recording in one call: several requests underneath. */
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (all, ((PwTestRecord *) records->pdata[i])->oid);
  g_ptr_array_add (all, NULL);
  pw_snmp_engine_get_async (engine, host, port, v2c, (const char * const *) all->pdata, NULL,
                            reply_cb, &replies[0]);
  /* A missing object is a value in SNMPv2c; SNMPv1 fails the request, we ask again. */
  pw_snmp_engine_get_async (engine, host, port, v2c, some, NULL, reply_cb, &replies[1]);
  pw_snmp_engine_get_async (engine, host, port, v1, some, NULL, reply_cb, &replies[2]);
  wait_replies (replies, 3);

  g_assert_no_error (replies[0].error);
  g_assert_cmpuint (replies[0].varbinds->len, ==, records->len);
  for (guint i = 0; i < records->len; i++)
    pw_test_assert_varbind_matches (replies[0].varbinds->pdata[i], records->pdata[i]);
  for (guint r = 1; r < 3; r++)
    {
      GPtrArray *varbinds = replies[r].varbinds;
      const PwTestRecord *descr = pw_test_snmprec_next (records, "1.3.6.1.2.1.1.1", 0);
      const PwTestRecord *uptime = pw_test_snmprec_next (records, "1.3.6.1.2.1.1.3", 0);

      g_assert_no_error (replies[r].error);
      g_assert_cmpuint (varbinds->len, ==, 3);
      pw_test_assert_varbind_matches (varbinds->pdata[0], descr);
      g_assert_cmpstr (((PwSnmpVarbind *) varbinds->pdata[1])->oid, ==, "1.3.6.1.2.1.1.99.0");
      g_assert_true (pw_snmp_varbind_is_exception (varbinds->pdata[1]));
      pw_test_assert_varbind_matches (varbinds->pdata[2], uptime);
    }
  for (guint i = 0; i < 3; i++)
    reply_clear (&replies[i]);
}

static void
test_get_next_and_bulk (void)
{
  g_autoptr(PwSnmpEngine) engine = engine_new (1000, 1);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "generic-colour-mfp");
  g_autoptr(PwSnmpCredentials) v1 = community (PW_SNMP_VERSION_1, "generic-colour-mfp");
  g_autoptr(GPtrArray) records = pw_test_snmprec_load ("generic-colour-mfp");
  const char * const oids[] = {
    "1.3.6.1.2.1.1", "1.3.6.1.2.1.43.11.1.1.9", "1.3.6.1.2.1.2.2.1.2.1", NULL
  };
  Reply next = { pw_snmp_engine_get_next_finish };
  Reply next_v1 = { pw_snmp_engine_get_next_finish };
  Reply bulk = { pw_snmp_engine_get_bulk_finish };
  Reply bulk_v1 = { pw_snmp_engine_get_bulk_finish };
  g_autofree char *host = NULL;
  guint16 port;
  guint k = 0;

  if (!need_sim (&host, &port))
    return;

  pw_snmp_engine_get_next_async (engine, host, port, v2c, oids, NULL, reply_cb, &next);
  pw_snmp_engine_get_next_async (engine, host, port, v1, oids, NULL, reply_cb, &next_v1);
  pw_snmp_engine_get_bulk_async (engine, host, port, v2c, oids, 1, 4, NULL, reply_cb, &bulk);
  pw_snmp_engine_get_bulk_async (engine, host, port, v1, oids, 1, 4, NULL, reply_cb, &bulk_v1);
  wait_replies (&next, 1);
  wait_replies (&next_v1, 1);
  wait_replies (&bulk, 1);
  wait_replies (&bulk_v1, 1);

  for (guint i = 0; i < 3; i++)
    {
      const PwTestRecord *expected = pw_test_snmprec_next (records, oids[i], 0);

      pw_test_assert_varbind_matches (next.varbinds->pdata[i], expected);
      pw_test_assert_varbind_matches (next_v1.varbinds->pdata[i], expected);
    }
  /* RFC 3416 §4.2.3: the non-repeater once, then the others interleaved, row by row. */
  g_assert_cmpuint (bulk.varbinds->len, ==, 1 + 2 * 4);
  pw_test_assert_varbind_matches (bulk.varbinds->pdata[k++],
                                  pw_test_snmprec_next (records, oids[0], 0));
  for (guint row = 0; row < 4; row++)
    for (guint column = 1; column < 3; column++)
      pw_test_assert_varbind_matches (bulk.varbinds->pdata[k++],
                                      pw_test_snmprec_next (records, oids[column], row));
  assert_error (&bulk_v1, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "SNMPv1");

  reply_clear (&next);
  reply_clear (&next_v1);
  reply_clear (&bulk);
  reply_clear (&bulk_v1);
}

/* @v1: an SNMPv1 walk, which never sees a Counter64 (RFC 3584 §4.2.2.1.4) */
static void
assert_walk_matches (Reply      *reply,
                     GPtrArray  *records,
                     const char *root,
                     guint       max_rows,
                     gboolean    v1)
{
  g_autofree char *prefix = g_strconcat (root, ".", NULL);
  guint n = 0;

  g_assert_no_error (reply->error);
  for (guint i = 0; i < records->len && n < max_rows; i++)
    {
      const PwTestRecord *record = records->pdata[i];

      if (!g_str_has_prefix (record->oid, prefix) || (v1 && g_str_equal (record->type, "70")))
        continue;
      g_assert_cmpuint (n, <, reply->varbinds->len);
      pw_test_assert_varbind_matches (reply->varbinds->pdata[n++], record);
    }
  g_assert_cmpuint (reply->varbinds->len, ==, n);
}

static void
test_walk (void)
{
  static const char * const names[] = {
    "generic-laser", "generic-colour-mfp", "hostile-printer", "router"
  };
  g_autoptr(PwSnmpEngine) engine = engine_new (1000, 1);
  Reply replies[G_N_ELEMENTS (names) * 3 + 1];
  g_autoptr(PwSnmpCredentials) laser = community (PW_SNMP_VERSION_2C, "generic-laser");
  g_autoptr(GPtrArray) laser_records = pw_test_snmprec_load ("generic-laser");
  g_autofree char *host = NULL;
  guint16 port;

  if (!need_sim (&host, &port))
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    replies[i] = (Reply) { pw_snmp_engine_walk_finish };
  /* Whole recordings with GETBULK (v2c) and GETNEXT (v1), and the supplies table. */
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, names[i]);
      g_autoptr(PwSnmpCredentials) v1 = community (PW_SNMP_VERSION_1, names[i]);

      pw_snmp_engine_walk_async (engine, host, port, v2c, "1.3.6", 0, NULL, reply_cb,
                                 &replies[3 * i]);
      pw_snmp_engine_walk_async (engine, host, port, v1, "1.3.6", 0, NULL, reply_cb,
                                 &replies[3 * i + 1]);
      pw_snmp_engine_walk_async (engine, host, port, v2c, "1.3.6.1.2.1.43.11.1.1", 0, NULL,
                                 reply_cb, &replies[3 * i + 2]);
    }
  /* The caller's row limit. */
  pw_snmp_engine_walk_async (engine, host, port, laser, "1.3.6.1.2.1", 5, NULL, reply_cb,
                             &replies[G_N_ELEMENTS (replies) - 1]);
  wait_replies (replies, G_N_ELEMENTS (replies));

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GPtrArray) records = pw_test_snmprec_load (names[i]);

      assert_walk_matches (&replies[3 * i], records, "1.3.6", G_MAXUINT, FALSE);
      assert_walk_matches (&replies[3 * i + 1], records, "1.3.6", G_MAXUINT, TRUE);
      assert_walk_matches (&replies[3 * i + 2], records, "1.3.6.1.2.1.43.11.1.1", G_MAXUINT, FALSE);
      g_assert_cmpuint (replies[3 * i].varbinds->len, ==, records->len);
    }
  assert_walk_matches (&replies[G_N_ELEMENTS (replies) - 1], laser_records, "1.3.6.1.2.1", 5, FALSE);
  g_assert_cmpuint (replies[G_N_ELEMENTS (replies) - 1].varbinds->len, ==, 5);
  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    reply_clear (&replies[i]);
}

/* Several subtrees side by side */

static GPtrArray *
walk_columns (PwSnmpEngine       *engine,
              const char         *host,
              guint16             port,
              PwSnmpCredentials  *credentials,
              const char * const *roots,
              const guint        *max_rows)
{
  Reply reply = { pw_snmp_engine_walk_columns_finish };

  pw_snmp_engine_walk_columns_async (engine, host, port, credentials, roots, max_rows, NULL,
                                     reply_cb, &reply);
  wait_replies (&reply, 1);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.varbinds->len, ==, g_strv_length ((char **) roots));
  return reply.varbinds;
}

static void
test_walk_columns (void)
{
  static const char * const names[] = {
    "generic-laser", "generic-colour-mfp", "hostile-printer", "router"
  };
  /* Columns of several tables, the whole tree beside them, a subtree with
   * nothing in it, one past the end of every recording, and a row limit. */
  static const char * const roots[] = {
    "1.3.6.1.2.1.43.11.1.1.6", "1.3.6.1.2.1.43.11.1.1.9", "1.3.6.1.2.1.43.10.2.1.4",
    "1.3.6.1.2.1.1", "1.3.6", "1.3.6.1.4.1.99999.7", "2.25", "1.3.6.1.2.1.25.3.2.1.3",
    "1.3.6.1.2.1.2.2.1", NULL,
  };
  static const guint max_rows[] = { 0, 0, 0, 0, 0, 0, 0, 0, 3 };
  g_autoptr(PwSnmpEngine) engine = engine_new (1000, 1);
  g_autofree char *host = NULL;
  guint16 port;

  if (!need_sim (&host, &port))
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    for (PwSnmpVersion version = PW_SNMP_VERSION_1; version <= PW_SNMP_VERSION_2C; version++)
      {
        g_autoptr(PwSnmpCredentials) credentials = community (version, names[i]);
        g_autoptr(GPtrArray) records = pw_test_snmprec_load (names[i]);
        g_autoptr(GPtrArray) columns = walk_columns (engine, host, port, credentials, roots, max_rows);

        for (guint c = 0; roots[c] != NULL; c++)
          {
            Reply reply = { NULL, columns->pdata[c], NULL, TRUE, 0 };

            g_assert_nonnull (reply.varbinds);
            assert_walk_matches (&reply, records, roots[c], max_rows[c] != 0 ? max_rows[c] : G_MAXUINT,
                                 version == PW_SNMP_VERSION_1);
          }
        g_assert_cmpuint (((GPtrArray *) columns->pdata[4])->len, >, 0);
        g_assert_cmpuint (((GPtrArray *) columns->pdata[5])->len, ==, 0);
        g_assert_cmpuint (((GPtrArray *) columns->pdata[6])->len, ==, 0);
      }
}

/* A table's columns walked side by side cost fewer requests than one by one. */
static void
test_walk_columns_requests (void)
{
  static const char * const roots[] = {
    "1.3.6.1.2.1.43.11.1.1.3", "1.3.6.1.2.1.43.11.1.1.4", "1.3.6.1.2.1.43.11.1.1.5",
    "1.3.6.1.2.1.43.11.1.1.6", "1.3.6.1.2.1.43.11.1.1.7", "1.3.6.1.2.1.43.11.1.1.8",
    "1.3.6.1.2.1.43.11.1.1.9", NULL,
  };
  g_autoptr(PwSnmpEngine) together = engine_new (1000, 1);
  g_autoptr(PwSnmpEngine) apart = engine_new (1000, 1);
  g_autoptr(PwSnmpCredentials) mfp = community (PW_SNMP_VERSION_2C, "generic-colour-mfp");
  g_autoptr(GPtrArray) columns = NULL;
  g_autofree char *host = NULL;
  guint16 port;
  guint rows = 0;

  if (!need_sim (&host, &port))
    return;

  columns = walk_columns (together, host, port, mfp, roots, NULL);
  for (guint c = 0; roots[c] != NULL; c++)
    {
      Reply reply = { pw_snmp_engine_walk_finish };

      pw_snmp_engine_walk_async (apart, host, port, mfp, roots[c], 0, NULL, reply_cb, &reply);
      wait_replies (&reply, 1);
      g_assert_no_error (reply.error);
      g_assert_cmpuint (reply.varbinds->len, ==, ((GPtrArray *) columns->pdata[c])->len);
      for (guint r = 0; r < reply.varbinds->len; r++)
        g_assert_cmpstr (((PwSnmpVarbind *) reply.varbinds->pdata[r])->oid, ==,
                         ((PwSnmpVarbind *) ((GPtrArray *) columns->pdata[c])->pdata[r])->oid);
      rows += reply.varbinds->len;
      reply_clear (&reply);
    }
  g_assert_cmpuint (rows, >=, 7 * 4);
  g_test_message ("7 columns, %u cells: %" G_GUINT64_FORMAT " requests side by side, %"
                  G_GUINT64_FORMAT " one by one", rows, pw_snmp_engine_get_n_requests (together),
                  pw_snmp_engine_get_n_requests (apart));
  g_assert_cmpuint (pw_snmp_engine_get_n_requests (together) * 3, <=,
                    pw_snmp_engine_get_n_requests (apart));
}

/* An agent that errs costs the subtree it errs on, not the walk. */
static void
test_walk_columns_errors (void)
{
  static const char * const roots[] = { "1.3.6.1.2.1.43.11", "1.3.6.1.2.1.43.12", NULL };
  g_autoptr(PwSnmpEngine) engine = engine_new (500, 0);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "public");
  g_autoptr(PwTestFakeAgent) fake = pw_test_fake_agent_new ("127.0.0.61", PW_TEST_FAKE_GEN_ERR,
                                                            "1.3", TRUE);
  g_autoptr(GPtrArray) columns = walk_columns (engine, "127.0.0.61", fake->port, v2c, roots, NULL);

  g_assert_null (columns->pdata[0]);
  g_assert_null (columns->pdata[1]);
  /* Both together, then each alone to find which one errs. */
  g_assert_cmpuint (fake->requests, ==, 3);
}

/* Many agents at once */

typedef struct {
  PwSnmpEngine *engine;
  guint         peak;
} Sampler;

static gboolean
sample_active (gpointer user_data)
{
  Sampler *sampler = user_data;

  sampler->peak = MAX (sampler->peak, pw_snmp_engine_get_n_active (sampler->engine));
  return G_SOURCE_CONTINUE;
}

static void
test_many_targets (void)
{
  enum { N_SILENT = 8, WINDOW = 4, TIMEOUT_MS = 300 };
  g_autoptr(PwSnmpEngine) engine = engine_new (TIMEOUT_MS, 0);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "generic-laser");
  g_autoptr(GPtrArray) records = pw_test_snmprec_load ("generic-laser");
  const char * const sys_name[] = { "1.3.6.1.2.1.1.5.0", NULL };
  Reply replies[N_SIM_ADDRESSES + N_SILENT];
  PwTestFakeAgent *silent[N_SILENT];
  Sampler sampler = { engine, 0 };
  guint sampling;
  gint64 start;

  if (!need_sim (NULL, NULL))
    return;

  pw_snmp_engine_set_concurrency (engine, WINDOW);
  for (guint i = 0; i < N_SILENT; i++)
    {
      g_autofree char *address = g_strdup_printf ("127.0.0.%u", 40 + i);

      silent[i] = pw_test_fake_agent_new (address, PW_TEST_FAKE_SAME_OID, "1.3", FALSE);
    }
  sampling = g_timeout_add (1, sample_active, &sampler);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_SIM_ADDRESSES; i++)
    {
      g_autofree char *host = NULL;
      guint16 port;

      split_endpoint (sim_endpoints[i], &host, &port);
      replies[i] = (Reply) { pw_snmp_engine_walk_finish };
      pw_snmp_engine_walk_async (engine, host, port, v2c, "1.3.6.1.2.1.1", 0, NULL, reply_cb,
                                 &replies[i]);
    }
  for (guint i = 0; i < N_SILENT; i++)
    {
      g_autofree char *host = g_strdup_printf ("127.0.0.%u", 40 + i);

      replies[N_SIM_ADDRESSES + i] = (Reply) { pw_snmp_engine_get_finish };
      pw_snmp_engine_get_async (engine, host, silent[i]->port, v2c, sys_name, NULL, reply_cb,
                                &replies[N_SIM_ADDRESSES + i]);
    }
  wait_replies (replies, G_N_ELEMENTS (replies));
  g_source_remove (sampling);

  for (guint i = 0; i < N_SIM_ADDRESSES; i++)
    assert_walk_matches (&replies[i], records, "1.3.6.1.2.1.1", G_MAXUINT, FALSE);
  for (guint i = 0; i < N_SILENT; i++)
    assert_error (&replies[N_SIM_ADDRESSES + i], PW_SNMP_ERROR, PW_SNMP_ERROR_TIMEOUT, "community");
  /* Eight silent agents through a window of four: two rounds of one timeout at least. */
  g_assert_cmpuint (sampler.peak, >=, 1);
  g_assert_cmpuint (sampler.peak, <=, WINDOW);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, >=, 2 * TIMEOUT_MS - 50);
  g_assert_cmpuint (pw_snmp_engine_get_n_active (engine), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    reply_clear (&replies[i]);
  for (guint i = 0; i < N_SILENT; i++)
    pw_test_fake_agent_free (silent[i]);
}

/* More sockets than select()'s FD_SETSIZE: net-snmp's large fd sets carry
 * them, so the last operations, on descriptors past it, still see answers. */
static void
test_beyond_fd_setsize (void)
{
  enum { N_SILENT = FD_SETSIZE + 100, N_ANSWERED = 4, TIMEOUT_MS = 3000 };
  g_autoptr(PwSnmpEngine) engine = engine_new (TIMEOUT_MS, 0);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "router");
  g_autoptr(PwTestFakeAgent) silent = NULL;
  const char * const oids[] = { "1.3.6.1.2.1.1.5.0", NULL };
  g_autofree Reply *replies = g_new0 (Reply, N_SILENT + N_ANSWERED);
  g_autofree char *host = NULL;
  struct rlimit limit;
  guint16 port;
  gint64 start;

  if (!need_sim (&host, &port))
    return;
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < N_SILENT + 500)
    {
      limit.rlim_cur = MIN (limit.rlim_max, (rlim_t) N_SILENT + 500);
      setrlimit (RLIMIT_NOFILE, &limit);
    }
  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < N_SILENT + 500)
    {
      g_test_skip ("Cannot open enough files");
      return;
    }

  silent = pw_test_fake_agent_new ("127.0.0.61", PW_TEST_FAKE_SAME_OID, "1.3", FALSE);
  pw_snmp_engine_set_concurrency (engine, N_SILENT + N_ANSWERED);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_SILENT + N_ANSWERED; i++)
    {
      replies[i].finish = pw_snmp_engine_get_finish;
      if (i < N_SILENT)
        pw_snmp_engine_get_async (engine, "127.0.0.61", silent->port, v2c, oids, NULL, reply_cb,
                                  &replies[i]);
      else
        pw_snmp_engine_get_async (engine, host, port, v2c, oids, NULL, reply_cb, &replies[i]);
    }
  wait_replies (replies, N_SILENT + N_ANSWERED);

  /* The answers do not wait behind the silent requests: each came before
   * the first of those timed out. */
  {
    gint64 first_timeout = G_MAXINT64;

    for (guint i = 0; i < N_SILENT; i++)
      first_timeout = MIN (first_timeout, replies[i].done_at);
    for (guint i = 0; i < N_SILENT + N_ANSWERED; i++)
      {
        if (i < N_SILENT)
          assert_error (&replies[i], PW_SNMP_ERROR, PW_SNMP_ERROR_TIMEOUT, NULL);
        else
          {
            g_assert_no_error (replies[i].error);
            g_assert_cmpint (replies[i].done_at, <, first_timeout);
          }
        reply_clear (&replies[i]);
      }
    g_test_message ("answers within %" G_GINT64_FORMAT " ms", elapsed_ms (start, &replies[N_SILENT]));
  }
}

/* Failures a user meets */

static void
test_wrong_community_times_out (void)
{
  enum { TIMEOUT_MS = 200, RETRIES = 2 };
  g_autoptr(PwSnmpEngine) engine = engine_new (TIMEOUT_MS, RETRIES);
  g_autoptr(PwSnmpCredentials) wrong = community (PW_SNMP_VERSION_2C, "not-a-recording");
  const char * const oids[] = { "1.3.6.1.2.1.1.1.0", NULL };
  Reply reply = { pw_snmp_engine_get_finish };
  g_autofree char *host = NULL;
  guint16 port;
  gint64 start;

  if (!need_sim (&host, &port))
    return;

  start = g_get_monotonic_time ();
  pw_snmp_engine_get_async (engine, host, port, wrong, oids, NULL, reply_cb, &reply);
  wait_replies (&reply, 1);
  assert_error (&reply, PW_SNMP_ERROR, PW_SNMP_ERROR_TIMEOUT, "community may be wrong");
  g_assert_null (strstr (reply.error->message, "not-a-recording"));
  /* One try and two retries of 200 ms each, and not much more. */
  g_assert_cmpint (elapsed_ms (start, &reply), >=, (RETRIES + 1) * TIMEOUT_MS - 20);
  g_assert_cmpint (elapsed_ms (start, &reply), <, (RETRIES + 1) * TIMEOUT_MS + 5000);
  reply_clear (&reply);
}

/* A closed port on loopback answers ICMP port unreachable at once; net-snmp
 * reports it on the connected socket, so we need not wait for the timeout. */
static void
test_closed_port_unreachable (void)
{
  g_autoptr(PwSnmpEngine) engine = engine_new (3000, 2);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "public");
  const char * const oids[] = { "1.3.6.1.2.1.1.1.0", NULL };
  guint16 port = pw_test_free_udp_port ("127.0.0.1");
  Reply reply = { pw_snmp_engine_get_finish };
  gint64 start = g_get_monotonic_time ();

  pw_snmp_engine_get_async (engine, "127.0.0.1", port, v2c, oids, NULL, reply_cb, &reply);
  wait_replies (&reply, 1);
  assert_error (&reply, PW_SNMP_ERROR, PW_SNMP_ERROR_UNREACHABLE, "127.0.0.1");
  /* Well before even one timeout. */
  g_assert_cmpint (elapsed_ms (start, &reply), <, 3000);
  reply_clear (&reply);
}

static void
test_bad_arguments (void)
{
  g_autoptr(PwSnmpEngine) engine = engine_new (1000, 0);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "public");
  const char * const bad_oids[] = { "1.3.6.1.2.1.1.1.0", "sysDescr.0", NULL };
  const char * const oids[] = { "1.3.6.1.2.1.1.1.0", NULL };
  Reply replies[4];

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    replies[i] = (Reply) { i < 2 ? pw_snmp_engine_get_finish : pw_snmp_engine_walk_finish };
  pw_snmp_engine_get_async (engine, "127.0.0.1", 161, v2c, bad_oids, NULL, reply_cb, &replies[0]);
  pw_snmp_engine_get_async (engine, "printer 7", 161, v2c, oids, NULL, reply_cb, &replies[1]);
  pw_snmp_engine_walk_async (engine, "127.0.0.1", 161, v2c, "5.3.6", 0, NULL, reply_cb, &replies[2]);
  /* RFC 6761: .invalid never resolves. */
  pw_snmp_engine_walk_async (engine, "printwatch-test.invalid", 161, v2c, "1.3.6", 0, NULL,
                             reply_cb, &replies[3]);
  wait_replies (replies, G_N_ELEMENTS (replies));
  assert_error (&replies[0], PW_SNMP_ERROR, PW_SNMP_ERROR_INVALID_OID, "sysDescr.0");
  assert_error (&replies[1], PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_HOST, "printer 7");
  assert_error (&replies[2], PW_SNMP_ERROR, PW_SNMP_ERROR_INVALID_OID, "5.3.6");
  assert_error (&replies[3], PW_SNMP_ERROR, PW_SNMP_ERROR_RESOLVE, "printwatch-test.invalid");
  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    reply_clear (&replies[i]);
}

/* SNMPv3 */

static void
test_v3_auth_priv (void)
{
  g_autoptr(PwSnmpEngine) engine = engine_new (1000, 1);
  const char * const oids[] = { "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0", NULL };
  Reply replies[G_N_ELEMENTS (v3_users) + 1];

  if (!need_snmpd ())
    return;

  /* SHA-256 + AES-128, the strongest pair snmpd has (SHA-512 + AES-256), MD5 + DES, authNoPriv
   * and noAuthNoPriv. */
  for (gsize i = 0; i < G_N_ELEMENTS (v3_users); i++)
    {
      g_autoptr(PwSnmpCredentials) credentials = v3_of (&v3_users[i]);

      replies[i] = (Reply) { pw_snmp_engine_get_finish };
      pw_snmp_engine_get_async (engine, snmpd_host, snmpd_port, credentials, oids, NULL, reply_cb,
                                &replies[i]);
    }
  {
    g_autoptr(PwSnmpCredentials) strong = v3_of (&v3_users[1]);

    replies[G_N_ELEMENTS (v3_users)] = (Reply) { pw_snmp_engine_walk_finish };
    pw_snmp_engine_walk_async (engine, snmpd_host, snmpd_port, strong, "1.3.6.1.2.1.1", 0, NULL,
                               reply_cb, &replies[G_N_ELEMENTS (v3_users)]);
  }
  wait_replies (replies, G_N_ELEMENTS (replies));

  for (gsize i = 0; i < G_N_ELEMENTS (v3_users); i++)
    {
      const PwSnmpVarbind *name;

      g_assert_no_error (replies[i].error);
      g_assert_cmpuint (replies[i].varbinds->len, ==, 2);
      name = replies[i].varbinds->pdata[0];
      g_assert_cmpint (name->type, ==, PW_SNMP_VALUE_OCTET_STRING);
      g_assert_cmpmem (g_bytes_get_data (name->octets, NULL), g_bytes_get_size (name->octets),
                       "pw-test-snmpd", strlen ("pw-test-snmpd"));
    }
  g_assert_no_error (replies[G_N_ELEMENTS (v3_users)].error);
  g_assert_cmpuint (replies[G_N_ELEMENTS (v3_users)].varbinds->len, >=, 7);
  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    reply_clear (&replies[i]);
}

/* net-snmp keeps one USM user per engine and name: wrong keys must not stick
 * to it, nor right ones hide a wrong passphrase asked for at the same time. */
static void
test_v3_errors (void)
{
  g_autoptr(PwSnmpEngine) engine = engine_new (400, 0);
  const PwTestV3User *user = &v3_users[0];
  const PwTestV3User unknown_user = { "pw-nobody", "SHA-256", "auth-pass-256", "AES", "priv-pass" };
  const PwTestV3User wrong_auth_user = { user->name, "SHA-256", "wrong-auth-pass", "AES",
                                         user->priv_pass };
  const PwTestV3User wrong_priv_user = { user->name, "SHA-256", user->auth_pass, "AES",
                                         "wrong-priv-pass" };
  const PwTestV3User no_priv_user = { "pw-authonly", "SHA", "auth-pass-only", "AES", "priv-pass" };
  g_autoptr(PwSnmpCredentials) right = v3_of (user);
  g_autoptr(PwSnmpCredentials) unknown = v3_of (&unknown_user);
  g_autoptr(PwSnmpCredentials) wrong_auth = v3_of (&wrong_auth_user);
  g_autoptr(PwSnmpCredentials) wrong_priv = v3_of (&wrong_priv_user);
  g_autoptr(PwSnmpCredentials) no_priv = v3_of (&no_priv_user);
  PwSnmpCredentials *order[] = {
    right, unknown, wrong_auth, wrong_priv, no_priv, right, wrong_auth, right
  };
  const char * const oids[] = { "1.3.6.1.2.1.1.5.0", NULL };
  Reply replies[G_N_ELEMENTS (order)];

  if (!need_snmpd ())
    return;

  /* One after the other, then the last three at once. */
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    {
      replies[i] = (Reply) { pw_snmp_engine_get_finish };
      pw_snmp_engine_get_async (engine, snmpd_host, snmpd_port, order[i], oids, NULL, reply_cb,
                                &replies[i]);
      if (i < 5)
        wait_replies (&replies[i], 1);
    }
  wait_replies (replies, G_N_ELEMENTS (replies));

  g_assert_no_error (replies[0].error);
  assert_error (&replies[1], PW_SNMP_ERROR, PW_SNMP_ERROR_UNKNOWN_USER, "pw-nobody");
  assert_error (&replies[2], PW_SNMP_ERROR, PW_SNMP_ERROR_AUTHENTICATION,
                "authentication passphrase");
  assert_error (&replies[3], PW_SNMP_ERROR, PW_SNMP_ERROR_DECRYPTION, "encryption passphrase");
  assert_error (&replies[4], PW_SNMP_ERROR, PW_SNMP_ERROR_UNSUPPORTED_SECURITY_LEVEL, "pw-authonly");
  g_assert_no_error (replies[5].error);
  assert_error (&replies[6], PW_SNMP_ERROR, PW_SNMP_ERROR_AUTHENTICATION, NULL);
  g_assert_no_error (replies[7].error);
  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      if (replies[i].error != NULL)
        g_assert_null (strstr (replies[i].error->message, "-pass"));
      reply_clear (&replies[i]);
    }
}

/* Cancellation and shutdown */

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_walk (void)
{
  /* Long timeouts: only the cancellation can end the walk early. */
  g_autoptr(PwSnmpEngine) engine = engine_new (10000, 1);
  g_autoptr(PwSnmpCredentials) v1 = community (PW_SNMP_VERSION_1, "generic-colour-mfp");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) before = g_cancellable_new ();
  Reply replies[2] = { { pw_snmp_engine_walk_finish }, { pw_snmp_engine_walk_finish } };
  g_autofree char *host = NULL;
  guint16 port;
  gint64 cancelled_at;

  if (!need_sim (&host, &port))
    return;

  /* GETNEXT at 40 requests a second: the whole recording would take seconds. */
  pw_snmp_engine_set_rate_limit (engine, 40);
  g_cancellable_cancel (before);
  pw_snmp_engine_walk_async (engine, host, port, v1, "1.3.6", 0, before, reply_cb, &replies[1]);
  pw_snmp_engine_walk_async (engine, host, port, v1, "1.3.6", 0, cancellable, reply_cb, &replies[0]);
  g_timeout_add (300, cancel_later, cancellable);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  cancelled_at = g_get_monotonic_time ();
  if (pw_snmp_engine_get_n_active (engine) == 0)
    {
      /* A loaded machine can let the walk end (or fail) before the cancel:
       * then there is nothing to show here. */
      wait_replies (replies, 2);
      g_test_skip ("the walk ended before it could be cancelled");
      reply_clear (&replies[0]);
      reply_clear (&replies[1]);
      return;
    }
  wait_replies (replies, 2);

  assert_error (&replies[0], G_IO_ERROR, G_IO_ERROR_CANCELLED, NULL);
  assert_error (&replies[1], G_IO_ERROR, G_IO_ERROR_CANCELLED, NULL);
  g_assert_cmpint (elapsed_ms (cancelled_at, &replies[0]), <, 5000);
  g_assert_cmpuint (pw_snmp_engine_get_n_active (engine), ==, 0);
  reply_clear (&replies[0]);
  reply_clear (&replies[1]);
}

static void
test_dispose_in_flight (void)
{
  enum { N = 5 };
  g_autoptr(PwSnmpEngine) engine = engine_new (5000, 2);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "public");
  g_autoptr(PwSnmpCredentials) v3 = v3_of (&v3_users[0]);
  const char * const oids[] = { "1.3.6.1.2.1.1.5.0", NULL };
  Reply replies[N + 1];
  PwTestFakeAgent *silent[N];
  gint64 disposed_at;

  pw_snmp_engine_set_concurrency (engine, 3);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *address = g_strdup_printf ("127.0.0.%u", 50 + i);

      silent[i] = pw_test_fake_agent_new (address, PW_TEST_FAKE_SAME_OID, "1.3", FALSE);
      replies[i] = (Reply) { pw_snmp_engine_get_finish };
      /* Some SNMPv3, which are discovering the engine ID when the engine goes. */
      pw_snmp_engine_get_async (engine, address, silent[i]->port, i % 2 ? v3 : v2c, oids, NULL,
                                reply_cb, &replies[i]);
    }
  g_usleep (50000);
  disposed_at = g_get_monotonic_time ();
  g_object_run_dispose (G_OBJECT (engine));
  replies[N] = (Reply) { pw_snmp_engine_get_finish };
  pw_snmp_engine_get_async (engine, "127.0.0.50", silent[0]->port, v2c, oids, NULL, reply_cb,
                            &replies[N]);
  wait_replies (replies, G_N_ELEMENTS (replies));

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      assert_error (&replies[i], G_IO_ERROR, G_IO_ERROR_CANCELLED, "shut down");
      g_assert_cmpint (elapsed_ms (disposed_at, &replies[i]), <, 4000);  /* not the 5 s timeouts */
      reply_clear (&replies[i]);
    }
  g_assert_cmpuint (pw_snmp_engine_get_n_active (engine), ==, 0);
  for (guint i = 0; i < N; i++)
    pw_test_fake_agent_free (silent[i]);
}

/* Broken and hostile agents */

static void
test_non_increasing_walk (void)
{
  g_autoptr(PwSnmpEngine) engine = engine_new (500, 0);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "public");
  g_autoptr(PwSnmpCredentials) v1 = community (PW_SNMP_VERSION_1, "public");
  g_autoptr(PwTestFakeAgent) fake = pw_test_fake_agent_new ("127.0.0.60", PW_TEST_FAKE_SAME_OID,
                                                            "1.3.6.1.2.1.43", TRUE);
  Reply replies[2] = { { pw_snmp_engine_walk_finish }, { pw_snmp_engine_walk_finish } };

  pw_snmp_engine_walk_async (engine, "127.0.0.60", fake->port, v2c, "1.3.6.1.2.1.43", 0, NULL,
                             reply_cb, &replies[0]);
  pw_snmp_engine_walk_async (engine, "127.0.0.60", fake->port, v1, "1.3.6.1.2.1.43", 0, NULL,
                             reply_cb, &replies[1]);
  wait_replies (replies, 2);

  /* The first answer is a row; the same OID again ends the walk, keeping it. */
  for (guint i = 0; i < 2; i++)
    {
      const PwSnmpVarbind *row;

      g_assert_no_error (replies[i].error);
      g_assert_cmpuint (replies[i].varbinds->len, ==, 1);
      row = replies[i].varbinds->pdata[0];
      g_assert_cmpstr (row->oid, ==, "1.3.6.1.2.1.43.5");
      g_assert_cmpint (row->type, ==, PW_SNMP_VALUE_INTEGER);
      g_assert_cmpint (row->integer, ==, 42);
      reply_clear (&replies[i]);
    }
  g_assert_cmpuint (fake->requests, ==, 4);
}

static void
test_hostile_replies (void)
{
  static const struct {
    PwTestFakeMode    mode;
    const char *fragment;
  } cases[] = {
    { PW_TEST_FAKE_EXTRA_VARBIND, "2 objects where 1 were asked for" },
    { PW_TEST_FAKE_OTHER_OID, "another object than 1.3.6.1.2.1.1.1.0" },
    { PW_TEST_FAKE_GEN_ERR, "genErr (5) at index 1" },
    { PW_TEST_FAKE_GARBAGE, "could not be decoded" },
  };
  g_autoptr(PwSnmpEngine) engine = engine_new (300, 0);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "public");
  const char * const oids[] = { "1.3.6.1.2.1.1.1.0", NULL };
  Reply replies[G_N_ELEMENTS (cases)];
  PwTestFakeAgent *fakes[G_N_ELEMENTS (cases)];

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *address = g_strdup_printf ("127.0.0.%u", 70 + (guint) i);

      fakes[i] = pw_test_fake_agent_new (address, cases[i].mode, "1.3", TRUE);
      replies[i] = (Reply) { pw_snmp_engine_get_finish };
      pw_snmp_engine_get_async (engine, address, fakes[i]->port, v2c, oids, NULL, reply_cb,
                                &replies[i]);
    }
  wait_replies (replies, G_N_ELEMENTS (replies));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_error (&replies[i], PW_SNMP_ERROR, PW_SNMP_ERROR_PROTOCOL, cases[i].fragment);
      reply_clear (&replies[i]);
      pw_test_fake_agent_free (fakes[i]);
    }
}

static void
test_rate_limit (void)
{
  enum { N = 12, RATE = 40 };
  g_autoptr(PwSnmpEngine) engine = engine_new (1000, 1);
  g_autoptr(PwSnmpCredentials) v2c = community (PW_SNMP_VERSION_2C, "router");
  const char * const oids[] = { "1.3.6.1.2.1.1.5.0", NULL };
  Reply replies[N];
  g_autofree char *host = NULL;
  guint16 port;
  gint64 start;

  if (!need_sim (&host, &port))
    return;

  pw_snmp_engine_set_rate_limit (engine, RATE);
  g_assert_cmpuint (pw_snmp_engine_get_rate_limit (engine), ==, RATE);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N; i++)
    {
      replies[i] = (Reply) { pw_snmp_engine_get_finish };
      pw_snmp_engine_get_async (engine, host, port, v2c, oids, NULL, reply_cb, &replies[i]);
    }
  wait_replies (replies, N);
  /* A burst of RATE / 10, then one every 1 / RATE s. */
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, >=, (N - RATE / 10) * 1000 / RATE - 30);
  for (guint i = 0; i < N; i++)
    {
      g_assert_no_error (replies[i].error);
      reply_clear (&replies[i]);
    }
}

static void
test_properties (void)
{
  g_autoptr(PwSnmpEngine) engine = pw_snmp_engine_new ();
  guint concurrency, rate, timeout, retries;

  g_object_get (engine, "concurrency", &concurrency, "rate-limit", &rate, "timeout", &timeout,
                "retries", &retries, NULL);
  g_assert_cmpuint (concurrency, ==, PW_SNMP_ENGINE_DEFAULT_CONCURRENCY);
  g_assert_cmpuint (rate, ==, 0);
  g_assert_cmpuint (timeout, ==, PW_SNMP_ENGINE_DEFAULT_TIMEOUT);
  g_assert_cmpuint (retries, ==, PW_SNMP_ENGINE_DEFAULT_RETRIES);
  g_object_set (engine, "concurrency", 7, "timeout", 250, NULL);
  g_assert_cmpuint (pw_snmp_engine_get_concurrency (engine), ==, 7);
  g_assert_cmpuint (pw_snmp_engine_get_timeout (engine), ==, 250);
}

int
main (int    argc,
      char **argv)
{
  int status;

  pw_test_init (&argc, &argv, TRUE);

  g_test_add_func ("/snmp-engine/properties", test_properties);
  g_test_add_func ("/snmp-engine/bad-arguments", test_bad_arguments);
  g_test_add_func ("/snmp-engine/get", test_get);
  g_test_add_func ("/snmp-engine/get-next-and-bulk", test_get_next_and_bulk);
  g_test_add_func ("/snmp-engine/walk", test_walk);
  g_test_add_func ("/snmp-engine/walk-columns", test_walk_columns);
  g_test_add_func ("/snmp-engine/walk-columns/requests", test_walk_columns_requests);
  g_test_add_func ("/snmp-engine/walk-columns/errors", test_walk_columns_errors);
  g_test_add_func ("/snmp-engine/many-targets", test_many_targets);
  g_test_add_func ("/snmp-engine/beyond-fd-setsize", test_beyond_fd_setsize);
  g_test_add_func ("/snmp-engine/wrong-community-times-out", test_wrong_community_times_out);
  g_test_add_func ("/snmp-engine/closed-port-unreachable", test_closed_port_unreachable);
  g_test_add_func ("/snmp-engine/v3/auth-priv", test_v3_auth_priv);
  g_test_add_func ("/snmp-engine/v3/errors", test_v3_errors);
  g_test_add_func ("/snmp-engine/cancel-walk", test_cancel_walk);
  g_test_add_func ("/snmp-engine/dispose-in-flight", test_dispose_in_flight);
  g_test_add_func ("/snmp-engine/non-increasing-walk", test_non_increasing_walk);
  g_test_add_func ("/snmp-engine/hostile-replies", test_hostile_replies);
  g_test_add_func ("/snmp-engine/rate-limit", test_rate_limit);

  status = g_test_run ();

  g_clear_pointer (&sim, pw_test_agent_stop);
  g_clear_pointer (&snmpd, pw_test_agent_stop);
  g_clear_error (&sim_error);
  g_clear_error (&snmpd_error);
  for (guint i = 0; i < N_SIM_ADDRESSES; i++)
    g_free (sim_endpoints[i]);
  return status;
}
