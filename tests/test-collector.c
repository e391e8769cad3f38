/* test-collector.c: printwatch-collector as agents and strangers meet it, over real TLS on
 * loopback, checked against what it answers and what lands in its SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-test-payload.h"
#include "pw-test-utils.h"
#include "servers/pw-test-tls.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#define CREDENTIALS   "# test users\nalice:secret1\ntoken:tok-123_abc\n"
#define ALICE         "Basic YWxpY2U6c2VjcmV0MQ=="   /* alice:secret1 */
#define MAX_WIRE_BODY 65536
#define MAX_BODY      262144

static PwTestPki *pki;
static PwTestServer *collector;     /* TLS, credentials, small limits */
static char *url;
static GTlsDatabase *ca;
static JsonNode *sample;            /* tests/fixtures/payload/sample.json */
static char *skip_reason;

typedef struct {
  guint       status;
  JsonNode   *body;        /* nullable */
  char       *text;
  char       *www_authenticate;
  char       *allow;
} Answer;

static void
answer_free (Answer *answer)
{
  g_clear_pointer (&answer->body, json_node_unref);
  g_free (answer->text);
  g_free (answer->www_authenticate);
  g_free (answer->allow);
  g_free (answer);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static const char *
answer_member (Answer     *answer,
               const char *name)
{
  JsonObject *object;

  g_assert_nonnull (answer->body);
  object = json_node_get_object (answer->body);
  if (json_node_is_null (json_object_get_member (object, name)))
    return NULL;
  return json_object_get_string_member (object, name);
}

static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new_with_options ("timeout", 30, NULL);

  soup_session_set_tls_database (session, ca);
  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

typedef struct {
  const char *method;          /* default POST */
  const char *content_type;    /* default application/json; "" for none */
  const char *encoding;        /* default gzip (the body is gzipped here); "" for none */
  const char *key;             /* Idempotency-Key, nullable */
  const char *authorization;   /* default ALICE; "" for none */
  gboolean    chunked;         /* no Content-Length */
} Request;

static SoupMessage *
build_message (const Request *request,
               GBytes        *body)
{
  const char *method = request->method != NULL ? request->method : "POST";
  const char *content_type = request->content_type != NULL ? request->content_type : "application/json";
  const char *encoding = request->encoding != NULL ? request->encoding : "gzip";
  const char *authorization = request->authorization != NULL ? request->authorization : ALICE;
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GBytes) wire = NULL;

  if (body == NULL)
    return msg;
  wire = g_str_equal (encoding, "gzip") ? pw_test_gzip (body) : g_bytes_ref (body);
  if (*encoding != '\0')
    soup_message_headers_replace (headers, "Content-Encoding", encoding);
  if (request->key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", request->key);
  if (*authorization != '\0')
    soup_message_headers_replace (headers, "Authorization", authorization);
  if (request->chunked)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (wire);

      soup_message_set_request_body (msg, *content_type != '\0' ? content_type : NULL, stream, -1);
    }
  else
    soup_message_set_request_body_from_bytes (msg, *content_type != '\0' ? content_type : NULL, wire);
  return msg;
}

static Answer *
read_answer (SoupMessage *msg,
             GBytes      *response)
{
  Answer *answer = g_new0 (Answer, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  answer->status = soup_message_get_status (msg);
  answer->text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  answer->www_authenticate = g_strdup (soup_message_headers_get_one (headers, "WWW-Authenticate"));
  answer->allow = g_strdup (soup_message_headers_get_one (headers, "Allow"));
  if (json_parser_load_from_data (parser, answer->text, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    answer->body = json_parser_steal_root (parser);
  g_test_message ("%u %s", answer->status, answer->text);
  return answer;
}

static Answer *
send_request (const Request *request,
              GBytes        *body)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(SoupMessage) msg = build_message (request, body);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return read_answer (msg, response);
}

static gint64
count_rows (const char *sql,
            const char *payload_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_open_v2 (pw_test_server_get_database (collector), &db,
                                    SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (payload_id != NULL)
    sqlite3_bind_text (stmt, 1, payload_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

static gboolean
need_collector (void)
{
  if (collector != NULL)
    return TRUE;
  g_test_skip (skip_reason);
  return FALSE;
}

static void
assert_refused (Answer     *answer,
                guint       status,
                const char *word)
{
  g_assert_cmpuint (answer->status, ==, status);
  g_assert_cmpstr (answer_member (answer, "status"), ==, word);
  g_assert_nonnull (answer_member (answer, "message"));
}

static void
test_stored_then_duplicate (void)
{
  g_autofree char *key = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Answer) first = NULL;
  g_autoptr(Answer) second = NULL;
  g_autoptr(Answer) third = NULL;

  if (!need_collector ())
    return;
  body = pw_test_payload_with_id (sample, &key);
  first = send_request (&(Request) { .key = key }, body);
  g_assert_cmpuint (first->status, ==, 201);
  g_assert_cmpstr (answer_member (first, "status"), ==, "stored");
  g_assert_cmpstr (answer_member (first, "payload_id"), ==, key);

  second = send_request (&(Request) { .key = key }, body);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpstr (answer_member (second, "status"), ==, "duplicate");
  g_assert_cmpstr (answer_member (second, "payload_id"), ==, key);

  /* Uncompressed is fine too, and still a duplicate. */
  third = send_request (&(Request) { .key = key, .encoding = "identity" }, body);
  g_assert_cmpuint (third->status, ==, 200);

  g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", key), ==, 1);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM devices WHERE payload_id = ?", key), ==, 2);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM counters WHERE payload_id = ?", key), ==, 3);
  g_assert_cmpint (count_rows ("SELECT value FROM counters WHERE payload_id = ? AND name = 'total' "
                               "AND serial = 'ABC123' AND device_id = 17 "
                               "AND read_at = '2026-11-25T05:58:41Z'", key), ==, 48213);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ? AND principal = 'alice' "
                               "AND length(json) = (SELECT length(json) FROM payloads WHERE payload_id = ?1)",
                               key), ==, 1);
}

typedef struct {
  guint  pending;
  guint  created;
  guint  ok;
  guint  other;
} Race;

static void
race_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Race *race = user_data;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  response = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) == 201)
    race->created++;
  else if (soup_message_get_status (msg) == 200)
    race->ok++;
  else
    race->other++;
  race->pending--;
}

/* Eight agents send one payload at the same moment: one 201, seven 200, one copy. */
static void
test_concurrent_duplicates (void)
{
  g_autofree char *key = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  Race race = { 0 };

  if (!need_collector ())
    return;
  body = pw_test_payload_with_id (sample, &key);
  for (guint i = 0; i < 8; i++)
    {
      SoupSession *session = new_session ();
      g_autoptr(SoupMessage) msg = build_message (&(Request) { .key = key }, body);

      g_ptr_array_add (sessions, session);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, race_cb, &race);
      race.pending++;
    }
  while (race.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (race.created, ==, 1);
  g_assert_cmpuint (race.ok, ==, 7);
  g_assert_cmpuint (race.other, ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", key), ==, 1);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM counters WHERE payload_id = ?", key), ==, 3);
}

static void
test_credentials (void)
{
  g_autofree char *key = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *wrong = g_strconcat ("Basic ", "YWxpY2U6c2VjcmV0Mg==", NULL);  /* alice:secret2 */
  const char * const refused[] = {
    wrong, "", "Basic !!!not-base64", "Bearer tok-123_abX", "Bearer tok-123_ab", "Bearer ",
    "Digest username=\"alice\"", "Basic YWxpY2U=" /* alice, no password */,
  };
  g_autoptr(Answer) bearer = NULL;
  g_autoptr(Answer) lower_case = NULL;

  if (!need_collector ())
    return;
  body = pw_test_payload_with_id (sample, &key);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(Answer) answer = send_request (&(Request) { .key = key, .authorization = refused[i] }, body);

      assert_refused (answer, 401, "unauthorized");
      g_assert_cmpstr (answer->www_authenticate, ==, "Basic realm=\"printwatch\"");
    }
  g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", key), ==, 0);

  bearer = send_request (&(Request) { .key = key, .authorization = "Bearer tok-123_abc" }, body);
  g_assert_cmpuint (bearer->status, ==, 201);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ? AND principal = 'token'",
                               key), ==, 1);
  /* RFC 9110 §11.1: the scheme's case does not matter. */
  lower_case = send_request (&(Request) { .key = key, .authorization = "basic YWxpY2U6c2VjcmV0MQ==" }, body);
  g_assert_cmpuint (lower_case->status, ==, 200);
}

static void
test_bad_json (void)
{
  /* Found by tests/fuzz/fuzz-collector-body, whose inputs are in tests/fuzz/regressions/collector-body:
   * white space alone is no JSON value (white-space); json-glib's message about the last body
   * quotes the string cut inside a character, and the answer must still be UTF-8 (cut-character). */
  const char * const bodies[] = {
    "{\"format\": 1,", "not json at all", "\xff\xfe{}", "", "  ", " \r\n\t ",
    "{\"a\": \"xxxxxxxxxxxxxxxxxxxxxxxxxx\xce\x9d\xce\x9d\": 1}",
  };

  if (!need_collector ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *key = g_uuid_string_random ();
      g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr(Answer) answer = send_request (&(Request) { .key = key }, body);

      assert_refused (answer, 400, "invalid");
      g_assert_true (g_utf8_validate (answer_member (answer, "message"), -1, NULL));
      g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", key), ==, 0);
    }
}

/* A JSON text is one value (RFC 8259 §2). json-glib 1.6 reads an object or array after the
 * first value without an error, keeps the first and leaks the rest (found by
 * tests/fuzz/fuzz-collector-body, whose input is tests/fuzz/regressions/collector-body/two-values):
 * a payload with more behind it is not JSON, and must not be stored as it came. */
static void
test_two_values (void)
{
  const char * const suffixes[] = { " []", "{}", "\n{\"format\": 2}", "[]]" };

  if (!need_collector ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *key = NULL;
      g_autoptr(GBytes) payload = pw_test_payload_with_id (sample, &key);
      g_autoptr(GByteArray) body = g_byte_array_new ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(Answer) answer = NULL;

      g_byte_array_append (body, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
      g_byte_array_append (body, (const guint8 *) suffixes[i], strlen (suffixes[i]));
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&body));
      answer = send_request (&(Request) { .key = key }, bytes);
      assert_refused (answer, 400, "invalid");
      g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", key), ==, 0);
    }
}

static void
test_deep_nesting (void)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Answer) answer = NULL;

  if (!need_collector ())
    return;
  /* 200 KB of '[': json-glib would recurse once per bracket. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (text, '[');
  body = g_bytes_new (text->str, text->len);
  answer = send_request (&(Request) { .key = key }, body);
  assert_refused (answer, 400, "invalid");
  g_assert_nonnull (strstr (answer_member (answer, "message"), "nests deeper"));
}

static void
check_variants (const char *group,
                gboolean    valid)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "payload", "variants.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *variants;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  variants = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), group);
  g_assert_cmpuint (json_array_get_length (variants), >, 5);
  for (guint i = 0; i < json_array_get_length (variants); i++)
    {
      JsonObject *variant = json_array_get_object_element (variants, i);
      g_autofree char *key = g_uuid_string_random ();
      g_autoptr(JsonNode) base = pw_test_payload_copy (sample);
      g_autoptr(JsonNode) payload = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(Answer) answer = NULL;
      char *text;

      json_object_set_string_member (json_node_get_object (base), "payload_id", key);
      payload = pw_test_payload_apply (base, variant);
      text = json_to_string (payload, FALSE);
      body = g_bytes_new_take (text, strlen (text));
      g_test_message ("%s: %s", group, json_object_get_string_member (variant, "name"));
      answer = send_request (&(Request) { .key = key }, body);
      if (valid)
        g_assert_cmpuint (answer->status, ==, 201);
      else
        assert_refused (answer, 400, "invalid");
      g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", key), ==, valid);
    }
}

/* The sample as part @index of @count of batch @batch_id, with a fresh payload_id. */
static GBytes *
batch_part (const char  *batch_id,
            gint64       index,
            gint64       count,
            char       **key)
{
  g_autoptr(JsonNode) part = pw_test_payload_copy (sample);
  g_autoptr(JsonObject) batch = json_object_new ();

  json_object_set_string_member (batch, "id", batch_id);
  json_object_set_int_member (batch, "index", index);
  json_object_set_int_member (batch, "count", count);
  json_object_set_object_member (json_node_get_object (part), "batch", json_object_ref (batch));
  return pw_test_payload_with_id (part, key);
}

/* A large fleet's day in parts: each part stored once with its place in the batch, which
 * is complete when all its parts are in; a part outside its count is refused. */
static void
test_batch (void)
{
  g_autofree char *batch_id = g_uuid_string_random ();
  char *keys[3] = { NULL };
  GBytes *bodies[3] = { NULL };
  g_autofree char *outside_key = NULL;
  g_autofree char *whole_key = NULL;

  if (!need_collector ())
    return;
  for (guint i = 0; i < 3; i++)
    bodies[i] = batch_part (batch_id, i, 3, &keys[i]);
  /* Out of order, as retries may bring them. */
  for (guint n = 0; n < 3; n++)
    {
      guint i = (n + 2) % 3;
      g_autoptr(Answer) answer = send_request (&(Request) { .key = keys[i] }, bodies[i]);

      g_assert_cmpuint (answer->status, ==, 201);
      g_assert_cmpint (count_rows ("SELECT complete FROM batches WHERE batch_id = ?", batch_id), ==, n == 2);
      g_assert_cmpint (count_rows ("SELECT received FROM batches WHERE batch_id = ?", batch_id), ==, n + 1);
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT batch_index FROM payloads WHERE payload_id = ? "
                                              "AND batch_id = '%s' AND batch_count = 3", batch_id);

      g_assert_cmpint (count_rows (sql, keys[i]), ==, i);
    }
  /* A part sent again: a duplicate, stored once. */
  {
    g_autoptr(Answer) again = send_request (&(Request) { .key = keys[1] }, bodies[1]);

    g_assert_cmpuint (again->status, ==, 200);
    g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE batch_id = ?", batch_id), ==, 3);
    g_assert_cmpint (count_rows ("SELECT count(*) FROM devices d JOIN payloads p USING (payload_id) "
                                 "WHERE p.batch_id = ?", batch_id), ==, 3 * 2);
  }
  /* Not a part of three: refused. */
  {
    g_autoptr(GBytes) outside = batch_part (batch_id, 3, 3, &outside_key);
    g_autoptr(Answer) answer = send_request (&(Request) { .key = outside_key }, outside);

    assert_refused (answer, 400, "invalid");
    g_assert_nonnull (strstr (answer_member (answer, "message"), "batch.index"));
    g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", outside_key), ==, 0);
  }
  /* Not in parts: no batch. */
  {
    g_autoptr(GBytes) whole = pw_test_payload_with_id (sample, &whole_key);
    g_autoptr(Answer) answer = send_request (&(Request) { .key = whole_key }, whole);

    g_assert_cmpuint (answer->status, ==, 201);
    g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ? AND batch_id IS NULL "
                                 "AND batch_index IS NULL AND batch_count IS NULL", whole_key), ==, 1);
  }
  for (guint i = 0; i < 3; i++)
    {
      g_free (keys[i]);
      g_bytes_unref (bodies[i]);
    }
}

/* A database of the first collector, before batches: migrated, its payloads kept. */
static void
test_migrate_v1 (void)
{
  static const char v1[] =
    "PRAGMA application_id = 1347896140; PRAGMA user_version = 1;"
    "CREATE TABLE payloads (payload_id TEXT PRIMARY KEY NOT NULL, received_at TEXT NOT NULL, "
    "  created_at TEXT NOT NULL, agent_version TEXT, principal TEXT, remote TEXT, json TEXT NOT NULL) STRICT;"
    "CREATE TABLE devices (payload_id TEXT NOT NULL REFERENCES payloads (payload_id) ON DELETE CASCADE, "
    "  device_id INTEGER NOT NULL, serial TEXT, address TEXT NOT NULL, reachable INTEGER NOT NULL, "
    "  read_at TEXT) STRICT;"
    "CREATE INDEX devices_payload ON devices (payload_id);"
    "CREATE TABLE counters (payload_id TEXT NOT NULL REFERENCES payloads (payload_id) ON DELETE CASCADE, "
    "  device_id INTEGER NOT NULL, serial TEXT, name TEXT NOT NULL, value INTEGER NOT NULL, read_at TEXT) STRICT;"
    "CREATE INDEX counters_payload ON counters (payload_id);"
    "INSERT INTO payloads VALUES ('0b6f9c1e-6a51-4b0a-9a5e-0d2b1b9b6a11', '2026-11-25T06:00:05Z', "
    "  '2026-11-25T06:00:03Z', '0.1.0', 'alice', '127.0.0.1', '{}');";
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *database_arg = NULL;
  g_autoptr(PwTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (!need_collector ())
    return;
  dir = pw_test_make_tmpdir ();
  path = g_build_filename (dir, "v1.db", NULL);
  database_arg = g_strconcat ("--database=", path, NULL);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v1, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    const char * const args[] = { database_arg, NULL };

    server = pw_test_collector_start (pki->server_cert, pki->server_key, CREDENTIALS, args, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (pw_test_server_stop (server), ==, 0);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT (SELECT user_version FROM pragma_user_version), "
                                       "payload_id, batch_id IS NULL AND batch_index IS NULL AND batch_count IS NULL, "
                                       "(SELECT count(*) FROM batches) FROM payloads", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "0b6f9c1e-6a51-4b0a-9a5e-0d2b1b9b6a11");
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 3), ==, 0);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  pw_test_remove_tree (dir);
}

static void
test_schema_invalid (void)
{
  if (need_collector ())
    check_variants ("invalid", FALSE);
}

static void
test_schema_valid (void)
{
  if (need_collector ())
    check_variants ("valid", TRUE);
}

static void
test_key_mismatch (void)
{
  g_autofree char *key = NULL;
  g_autofree char *other = g_uuid_string_random ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Answer) mismatch = NULL;
  g_autoptr(Answer) missing = NULL;
  g_autoptr(Answer) not_uuid = NULL;

  if (!need_collector ())
    return;
  body = pw_test_payload_with_id (sample, &key);
  mismatch = send_request (&(Request) { .key = other }, body);
  assert_refused (mismatch, 400, "invalid");
  g_assert_nonnull (strstr (answer_member (mismatch, "message"), "Idempotency-Key"));
  missing = send_request (&(Request) { .key = NULL }, body);
  assert_refused (missing, 400, "invalid");
  not_uuid = send_request (&(Request) { .key = "x\"; DROP TABLE payloads" }, body);
  assert_refused (not_uuid, 400, "invalid");
  g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id IN (?1)", key), ==, 0);
  g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", other), ==, 0);
}

/* Valid JSON of @size bytes: the sample with a long site name. */
static GBytes *
payload_of_size (gsize   size,
                 char  **key)
{
  g_autoptr(JsonNode) copy = pw_test_payload_copy (sample);
  g_autofree char *padding = g_strnfill (size, 'x');
  g_autoptr(GBytes) text = NULL;

  json_object_set_string_member (json_object_get_object_member (json_node_get_object (copy), "site"),
                                 "site_name", padding);
  text = pw_test_payload_with_id (copy, key);
  g_assert_cmpuint (g_bytes_get_size (text), >, size);
  return g_steal_pointer (&text);
}

static void
test_too_large (void)
{
  g_autofree char *key = NULL;
  g_autoptr(GBytes) big = NULL;
  g_autoptr(Answer) identity = NULL;
  g_autoptr(Answer) chunked = NULL;
  g_autoptr(Answer) zipped = NULL;
  g_autoptr(Answer) unzipped_too_big = NULL;

  if (!need_collector ())
    return;
  /* Identity: the wire limit, by Content-Length before the body is read, or while it is read. */
  big = payload_of_size (MAX_WIRE_BODY + 100, &key);
  identity = send_request (&(Request) { .key = key, .encoding = "identity" }, big);
  assert_refused (identity, 413, "too-large");
  chunked = send_request (&(Request) { .key = key, .encoding = "identity", .chunked = TRUE }, big);
  assert_refused (chunked, 413, "too-large");
  /* Gzipped, the same payload fits on the wire (x compresses well) and once decompressed. */
  zipped = send_request (&(Request) { .key = key }, big);
  g_assert_cmpuint (zipped->status, ==, 201);
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&big, g_bytes_unref);
  /* Small on the wire, too large once decompressed. */
  big = payload_of_size (MAX_BODY + 100, &key);
  unzipped_too_big = send_request (&(Request) { .key = key }, big);
  assert_refused (unzipped_too_big, 413, "too-large");
  g_assert_cmpint (count_rows ("SELECT count(*) FROM payloads WHERE payload_id = ?", key), ==, 0);
}

/* 64 MiB of zeros in about 64 KB of gzip: refused at the limit, the collector still serving. */
static void
test_gzip_bomb (void)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) gzip = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autofree char *zeros = g_malloc0 (1024 * 1024);
  g_autoptr(GBytes) bomb = NULL;
  g_autoptr(GBytes) sane = NULL;
  g_autoptr(Answer) answer = NULL;
  g_autoptr(Answer) after = NULL;
  g_autofree char *sane_key = NULL;

  if (!need_collector ())
    return;
  for (guint i = 0; i < 64; i++)
    g_assert_true (g_output_stream_write_all (gzip, zeros, 1024 * 1024, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (gzip, NULL, NULL));
  bomb = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  g_assert_cmpuint (g_bytes_get_size (bomb), <, MAX_WIRE_BODY);
  /* Sent as is: encoding "x-gzip" skips this file's own compression. */
  answer = send_request (&(Request) { .key = key, .encoding = "x-gzip" }, bomb);
  assert_refused (answer, 413, "too-large");
  g_assert_nonnull (strstr (answer_member (answer, "message"), "decompressed"));

  sane = pw_test_payload_with_id (sample, &sane_key);
  after = send_request (&(Request) { .key = sane_key }, sane);
  g_assert_cmpuint (after->status, ==, 201);
}

static void
test_bad_gzip (void)
{
  g_autofree char *key = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) zipped = NULL;
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(Answer) not_gzip = NULL;
  g_autoptr(Answer) cut = NULL;

  if (!need_collector ())
    return;
  body = pw_test_payload_with_id (sample, &key);
  not_gzip = send_request (&(Request) { .key = key, .encoding = "x-gzip" }, body);
  assert_refused (not_gzip, 400, "invalid");
  zipped = pw_test_gzip (body);
  truncated = g_bytes_new_from_bytes (zipped, 0, g_bytes_get_size (zipped) / 2);
  cut = send_request (&(Request) { .key = key, .encoding = "x-gzip" }, truncated);
  assert_refused (cut, 400, "invalid");
  g_assert_nonnull (strstr (answer_member (cut, "message"), "truncated"));
}

static void
test_wrong_method (void)
{
  const char * const methods[] = { "GET", "PUT", "DELETE", "PATCH" };

  if (!need_collector ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(Answer) answer = send_request (&(Request) { .method = methods[i] }, NULL);

      assert_refused (answer, 405, "method-not-allowed");
      g_assert_cmpstr (answer->allow, ==, "POST");
    }
}

static void
test_unsupported_media (void)
{
  g_autofree char *key = NULL;
  g_autoptr(GBytes) body = NULL;
  const char * const types[] = { "text/plain", "", "application/json; charset=latin1", "application/xml" };
  g_autoptr(Answer) brotli = NULL;
  g_autoptr(Answer) charset = NULL;

  if (!need_collector ())
    return;
  body = pw_test_payload_with_id (sample, &key);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(Answer) answer = send_request (&(Request) { .key = key, .content_type = types[i] }, body);

      assert_refused (answer, 415, "unsupported");
    }
  brotli = send_request (&(Request) { .key = key, .encoding = "br" }, body);
  assert_refused (brotli, 415, "unsupported");
  charset = send_request (&(Request) { .key = key, .content_type = "application/json; charset=UTF-8" }, body);
  g_assert_cmpuint (charset->status, ==, 201);
}

static void
test_not_found (void)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other = NULL;

  if (!need_collector ())
    return;
  session = new_session ();
  other = g_strdup_printf ("https://127.0.0.1:%u/api/v1/uploads/extra", pw_test_server_get_port (collector));
  msg = soup_message_new ("POST", other);
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
}

/* http:// to the TLS port gets no answer; the collector goes on serving. */
static void
test_plain_http_to_tls_port (void)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Answer) after = NULL;

  if (!need_collector ())
    return;
  session = new_session ();
  plain = g_strdup_printf ("http://127.0.0.1:%u/api/v1/uploads", pw_test_server_get_port (collector));
  msg = soup_message_new ("GET", plain);
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_nonnull (error);
  g_test_message ("plain http: %s", error->message);

  body = pw_test_payload_with_id (sample, &key);
  after = send_request (&(Request) { .key = key }, body);
  g_assert_cmpuint (after->status, ==, 201);
}

/* openssl s_client limited to one TLS version sends a GET: the collector answers (405) only
 * over TLS 1.2 or newer. */
static void
test_tls_versions (void)
{
  g_autofree char *connect = NULL;
  g_autofree char *output_12 = NULL;
  g_autofree char *output_11 = NULL;
  g_autoptr(GError) error = NULL;
  const char *request = "GET /api/v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

  if (!need_collector ())
    return;
  connect = g_strdup_printf ("127.0.0.1:%u", pw_test_server_get_port (collector));
  {
    const char * const argv[] = { "openssl", "s_client", "-connect", connect, "-tls1_2", "-CAfile",
                                  pki->ca_file, "-quiet", "-ign_eof", NULL };

    pw_test_run_tool (argv, request, &output_12, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (output_12, "HTTP/1.1 405"));
  }
  {
    /* OpenSSL 3 allows TLS 1.1 only at security level 0. */
    const char * const argv[] = { "openssl", "s_client", "-connect", connect, "-tls1_1", "-cipher",
                                  "DEFAULT:@SECLEVEL=0", "-CAfile", pki->ca_file, "-quiet",
                                  "-ign_eof", NULL };

    pw_test_run_tool (argv, request, &output_11, &error);
    g_assert_no_error (error);
    g_test_message ("TLS 1.1 client: %s", output_11);
    g_assert_null (strstr (output_11, "HTTP/1.1"));
  }
}

/* A client that connects and says nothing neither blocks others nor stays for ever: the
 * collector runs with --read-timeout 2. */
static void
test_silent_client (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) silent = NULL;
  g_autoptr(GSocketConnection) half = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Answer) answer = NULL;
  char buffer[64];
  gssize n;

  if (!need_collector ())
    return;
  silent = g_socket_client_connect_to_host (client, "127.0.0.1", pw_test_server_get_port (collector), NULL, &error);
  g_assert_no_error (error);
  half = g_socket_client_connect_to_host (client, "127.0.0.1", pw_test_server_get_port (collector), NULL, &error);
  g_assert_no_error (error);
  /* The first bytes of a TLS ClientHello, and no more. */
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (half)),
                                            "\x16\x03\x01\x02\x00", 5, NULL, NULL, &error));

  body = pw_test_payload_with_id (sample, &key);
  answer = send_request (&(Request) { .key = key }, body);
  g_assert_cmpuint (answer->status, ==, 201);

  /* Then both are dropped: end of stream (or a reset), well before our own 60 s. */
  g_socket_set_timeout (g_socket_connection_get_socket (silent), 60);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (silent)), buffer, sizeof buffer, NULL, &error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_cmpint (n, <=, 0);
  g_clear_error (&error);
  g_socket_set_timeout (g_socket_connection_get_socket (half), 60);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (half)), buffer, sizeof buffer, NULL, &error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_cmpint (n, <=, 5);  /* at most a TLS alert */
}

static void
expect_refusal (const char * const *args,
                const char         *expected)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = pw_test_make_tmpdir ();
  g_autofree char *database = g_build_filename (dir, "refused.db", NULL);
  g_autofree char *database_arg = g_strconcat ("--database=", database, NULL);

  g_ptr_array_add (argv, (gpointer) g_getenv ("PW_COLLECTOR"));
  g_ptr_array_add (argv, database_arg);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_false (pw_test_run_tool ((const char * const *) argv->pdata, NULL, &output, &error));
  g_assert_no_error (error);
  g_test_message ("%s", output);
  g_assert_nonnull (strstr (output, expected));
  pw_test_remove_tree (dir);
}

static void
test_refuses_to_start (void)
{
  const char * const no_tls[] = { "--listen=127.0.0.1:0", NULL };
  /* Never bound: TEST-NET-1 is refused before listening. */
  const char * const http_not_loopback[] = { "--listen=192.0.2.1:0", "--insecure-http", NULL };
  const char * const half_tls[] = { "--listen=127.0.0.1:0", "--tls-certificate=x.pem", NULL };
  const char * const bad_listen[] = { "--listen=localhost:8443", "--insecure-http", NULL };
  const char * const no_deadline[] = { "--listen=127.0.0.1:0", "--insecure-http", "--request-timeout=0", NULL };
  g_autofree char *dir = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *credentials_arg = NULL;

  if (g_getenv ("PW_COLLECTOR") == NULL)
    {
      g_test_skip ("$PW_COLLECTOR is not set");
      return;
    }
  expect_refusal (no_tls, "--insecure-http");
  expect_refusal (http_not_loopback, "loopback");
  expect_refusal (half_tls, "go together");
  expect_refusal (bad_listen, "ADDRESS:PORT");
  expect_refusal (no_deadline, "--request-timeout takes a number of seconds");

  dir = pw_test_make_tmpdir ();
  credentials = g_build_filename (dir, "credentials", NULL);
  credentials_arg = g_strconcat ("--credentials=", credentials, NULL);
  g_assert_true (g_file_set_contents (credentials, "alice:secret1\nno colon here\n", -1, NULL));
  {
    const char * const bad_credentials[] = { "--listen=127.0.0.1:0", "--insecure-http", credentials_arg, NULL };

    expect_refusal (bad_credentials, "line 2");
  }
  pw_test_remove_tree (dir);
}

/* Last: SIGTERM ends the collector cleanly (exit 0; under ASan, also without leaks). */
static void
test_clean_exit (void)
{
  if (!need_collector ())
    return;
  g_assert_cmpint (pw_test_server_stop (collector), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;
  const char * const limits[] = {
    "--max-wire-body=65536", "--max-body=262144", "--read-timeout=2", NULL,
  };

  pw_test_init (&argc, &argv, TRUE);
  sample = pw_test_payload_load ("sample.json");
  pki = pw_test_pki_new (&error);
  if (pki != NULL)
    collector = pw_test_collector_start (pki->server_cert, pki->server_key, CREDENTIALS, limits, &error);
  if (collector != NULL)
    {
      g_autoptr(GError) ca_error = NULL;

      url = pw_test_server_get_url (collector);
      ca = g_tls_file_database_new (pki->ca_file, &ca_error);
      g_assert_no_error (ca_error);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    skip_reason = g_strdup (error->message);
  else
    g_error ("cannot start the collector: %s", error->message);

  g_test_add_func ("/collector/stored-then-duplicate", test_stored_then_duplicate);
  g_test_add_func ("/collector/concurrent-duplicates", test_concurrent_duplicates);
  g_test_add_func ("/collector/credentials", test_credentials);
  g_test_add_func ("/collector/bad-json", test_bad_json);
  g_test_add_func ("/collector/two-values", test_two_values);
  g_test_add_func ("/collector/deep-nesting", test_deep_nesting);
  g_test_add_func ("/collector/schema-invalid", test_schema_invalid);
  g_test_add_func ("/collector/schema-valid", test_schema_valid);
  g_test_add_func ("/collector/batch", test_batch);
  g_test_add_func ("/collector/migrate-v1", test_migrate_v1);
  g_test_add_func ("/collector/key-mismatch", test_key_mismatch);
  g_test_add_func ("/collector/too-large", test_too_large);
  g_test_add_func ("/collector/gzip-bomb", test_gzip_bomb);
  g_test_add_func ("/collector/bad-gzip", test_bad_gzip);
  g_test_add_func ("/collector/wrong-method", test_wrong_method);
  g_test_add_func ("/collector/unsupported-media", test_unsupported_media);
  g_test_add_func ("/collector/not-found", test_not_found);
  g_test_add_func ("/collector/plain-http-to-tls-port", test_plain_http_to_tls_port);
  g_test_add_func ("/collector/tls-versions", test_tls_versions);
  g_test_add_func ("/collector/silent-client", test_silent_client);
  g_test_add_func ("/collector/refuses-to-start", test_refuses_to_start);
  g_test_add_func ("/collector/clean-exit", test_clean_exit);
  status = g_test_run ();

  if (collector != NULL && status != 0)
    {
      g_autofree char *output = pw_test_server_get_output (collector);

      g_printerr ("collector output:\n%s\n", output);
    }
  g_clear_pointer (&collector, pw_test_server_free);
  g_clear_pointer (&pki, pw_test_pki_free);
  g_clear_object (&ca);
  g_clear_pointer (&sample, json_node_unref);
  g_free (url);
  g_free (skip_reason);
  return status;
}
