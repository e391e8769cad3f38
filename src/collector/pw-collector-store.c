/* pw-collector-store.c: what the collector received, in SQLite.
 *
 * payloads   one row per payload_id (PRIMARY KEY, so UNIQUE): the raw JSON as received
 *            (decompressed), who sent it and when, and for a part of a batch (a large
 *            fleet's day sent in parts) the batch's id, the part's index and the count
 * batches    a view: per batch, the parts it has and how many were received
 * devices    one row per device of a payload
 * counters   one row per counter of a device: payload_id, device_id, serial, name, value, read_at
 *
 * One connection, used by the request workers one at a time under the store's lock; a payload
 * and its rows go in one transaction whose INSERT … ON CONFLICT DO NOTHING decides, so two
 * uploads of one payload_id at once store it once. WAL lets tests and reports read the file
 * while the collector writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-collector"

#include "config.h"

#include "pw-collector-private.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

/* 'PWCL': not the agent's database, nor anyone else's. */
#define COLLECTOR_APPLICATION_ID 0x5057434c

struct _PwCollectorStore
{
  GMutex   lock;
  sqlite3 *db;    /* owned; under lock */
};

/* migrations[i] takes the schema from version i to i + 1; a released one is never edited. */
static const char * const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE payloads ("
  "  payload_id    TEXT PRIMARY KEY NOT NULL,"
  "  received_at   TEXT NOT NULL,"
  "  created_at    TEXT NOT NULL,"
  "  agent_version TEXT,"
  "  principal     TEXT,"
  "  remote        TEXT,"
  "  json          TEXT NOT NULL"
  ") STRICT;"
  "CREATE TABLE devices ("
  "  payload_id    TEXT NOT NULL REFERENCES payloads (payload_id) ON DELETE CASCADE,"
  "  device_id     INTEGER NOT NULL,"
  "  serial        TEXT,"
  "  address       TEXT NOT NULL,"
  "  reachable     INTEGER NOT NULL,"
  "  read_at       TEXT"
  ") STRICT;"
  "CREATE INDEX devices_payload ON devices (payload_id);"
  "CREATE TABLE counters ("
  "  payload_id    TEXT NOT NULL REFERENCES payloads (payload_id) ON DELETE CASCADE,"
  "  device_id     INTEGER NOT NULL,"
  "  serial        TEXT,"
  "  name          TEXT NOT NULL,"
  "  value         INTEGER NOT NULL,"
  "  read_at       TEXT"
  ") STRICT;"
  "CREATE INDEX counters_payload ON counters (payload_id);",

  /* 1 -> 2: payloads in parts (payload.md's "batch"); NULL when not in parts. */
  "ALTER TABLE payloads ADD COLUMN batch_id TEXT;"
  "ALTER TABLE payloads ADD COLUMN batch_index INTEGER;"
  "ALTER TABLE payloads ADD COLUMN batch_count INTEGER;"
  "CREATE INDEX payloads_batch ON payloads (batch_id) WHERE batch_id IS NOT NULL;"
  "CREATE VIEW batches AS SELECT batch_id, max(batch_count) AS parts, count(*) AS received, "
  "  min(created_at) AS created_at, count(*) = max(batch_count) AS complete "
  "  FROM payloads WHERE batch_id IS NOT NULL GROUP BY batch_id;",
};
#define SCHEMA_VERSION ((gint64) G_N_ELEMENTS (migrations))

static gboolean
set_error (GError    **error,
           sqlite3    *db,
           const char *what)
{
  g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_DATABASE,
               "%s: %s", what, db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;
  return set_error (error, db, _("Database error"));
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

void
_pw_collector_store_free (PwCollectorStore *store)
{
  if (store == NULL)
    return;
  sqlite3_close (store->db);
  g_mutex_clear (&store->lock);
  g_free (store);
}

/* Creates the schema in a new file; refuses a file that is some other program's. */
PwCollectorStore *
_pw_collector_store_open (const char  *path,
                          GError     **error)
{
  g_autoptr(PwCollectorStore) store = g_new0 (PwCollectorStore, 1);
  gint64 application_id;
  gint64 version;
  gint64 tables;

  g_mutex_init (&store->lock);
  if (sqlite3_open_v2 (path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                       | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Cannot open the database %s"), path);

      set_error (error, store->db, what);
      return NULL;
    }
  sqlite3_busy_timeout (store->db, 5000);
  application_id = query_int (store->db, "PRAGMA application_id");
  version = query_int (store->db, "PRAGMA user_version");
  tables = query_int (store->db, "SELECT count(*) FROM sqlite_master");
  if (application_id < 0 || tables < 0
      || (application_id != COLLECTOR_APPLICATION_ID && (application_id != 0 || tables != 0)))
    {
      g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_DATABASE,
                   _("%s is not a printwatch-collector database; it was left untouched"), path);
      return NULL;
    }
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, PW_COLLECTOR_ERROR, PW_COLLECTOR_ERROR_DATABASE,
                   _("%s was written by a newer printwatch-collector; it was left untouched"), path);
      return NULL;
    }
  if (!exec (store->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
             "PRAGMA foreign_keys = ON;", error))
    return NULL;
  if (version < SCHEMA_VERSION)
    {
      g_autofree char *stamp = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                                COLLECTOR_APPLICATION_ID, (int) SCHEMA_VERSION);
      gboolean ok;

      if (!exec (store->db, "BEGIN IMMEDIATE", error))
        return NULL;
      ok = TRUE;
      for (gint64 v = version; ok && v < SCHEMA_VERSION; v++)
        ok = exec (store->db, migrations[v], error);
      if (!ok || !exec (store->db, stamp, error) || !exec (store->db, "COMMIT", error))
        {
          sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
          return NULL;
        }
    }
  return g_steal_pointer (&store);
}

gboolean
_pw_collector_store_has (PwCollectorStore  *store,
                         const char        *payload_id,
                         gboolean          *found,
                         GError           **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_mutex_lock (&store->lock);
  if (sqlite3_prepare_v2 (store->db, "SELECT 1 FROM payloads WHERE payload_id = ?", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_bind_text (stmt, 1, payload_id, -1, SQLITE_TRANSIENT) == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
      *found = rc == SQLITE_ROW;
    }
  if (!ok)
    set_error (error, store->db, "cannot look up the payload");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&store->lock);
  return ok;
}

static void
bind_string_or_null (sqlite3_stmt *stmt,
                     int           index,
                     JsonObject   *object,
                     const char   *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* Validated numbers may arrive as 3.0; the validator allowed only integral values. */
static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return json_node_get_int (node);
}

static gboolean
step_done (sqlite3_stmt *stmt)
{
  gboolean done = sqlite3_step (stmt) == SQLITE_DONE;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return done;
}

static gboolean
insert_devices (sqlite3    *db,
                const char *payload_id,
                JsonArray  *devices)
{
  sqlite3_stmt *device_stmt = NULL;
  sqlite3_stmt *counter_stmt = NULL;
  gboolean ok;

  ok = sqlite3_prepare_v2 (db, "INSERT INTO devices (payload_id, device_id, serial, address, reachable, "
                           "read_at) VALUES (?, ?, ?, ?, ?, ?)", -1, &device_stmt, NULL) == SQLITE_OK
       && sqlite3_prepare_v2 (db, "INSERT INTO counters (payload_id, device_id, serial, name, value, "
                              "read_at) VALUES (?, ?, ?, ?, ?, ?)", -1, &counter_stmt, NULL) == SQLITE_OK;
  for (guint i = 0; ok && i < json_array_get_length (devices); i++)
    {
      JsonObject *device = json_array_get_object_element (devices, i);
      JsonObject *identity = json_object_get_object_member (device, "identity");
      JsonArray *counters = json_object_get_array_member (device, "counters");
      gint64 device_id = member_int (device, "device_id");

      sqlite3_bind_text (device_stmt, 1, payload_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (device_stmt, 2, device_id);
      bind_string_or_null (device_stmt, 3, identity, "serial");
      bind_string_or_null (device_stmt, 4, device, "address");
      sqlite3_bind_int (device_stmt, 5, json_object_get_boolean_member (device, "reachable"));
      bind_string_or_null (device_stmt, 6, device, "read_at");
      ok = step_done (device_stmt);
      for (guint j = 0; ok && j < json_array_get_length (counters); j++)
        {
          JsonObject *counter = json_array_get_object_element (counters, j);

          sqlite3_bind_text (counter_stmt, 1, payload_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (counter_stmt, 2, device_id);
          bind_string_or_null (counter_stmt, 3, identity, "serial");
          bind_string_or_null (counter_stmt, 4, counter, "name");
          sqlite3_bind_int64 (counter_stmt, 5, member_int (counter, "value"));
          bind_string_or_null (counter_stmt, 6, device, "read_at");
          ok = step_done (counter_stmt);
        }
    }
  sqlite3_finalize (device_stmt);
  sqlite3_finalize (counter_stmt);
  return ok;
}

/* Binds the batch's member @member (an integer), or NULL when not in parts. */
static void
bind_batch_int (sqlite3_stmt *stmt,
                int           index,
                JsonObject   *batch,
                const char   *member)
{
  if (batch != NULL)
    sqlite3_bind_int64 (stmt, index, member_int (batch, member));
  else
    sqlite3_bind_null (stmt, index);
}

/* Stores a validated payload; *@duplicate when its payload_id was already there (then
 * nothing is written). */
gboolean
_pw_collector_store_add (PwCollectorStore  *store,
                         JsonNode          *payload,
                         GBytes            *text,
                         const char        *principal,
                         const char        *remote,
                         gboolean          *duplicate,
                         GError           **error)
{
  JsonObject *object = json_node_get_object (payload);
  const char *payload_id = json_object_get_string_member (object, "payload_id");
  JsonObject *batch = json_object_has_member (object, "batch") ? json_object_get_object_member (object, "batch")
                                                               : NULL;
  sqlite3_stmt *stmt = NULL;
  gsize len = 0;
  const char *json = g_bytes_get_data (text, &len);
  gboolean ok;

  g_mutex_lock (&store->lock);
  ok = sqlite3_exec (store->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
  if (ok)
    {
      ok = sqlite3_prepare_v2 (store->db,
                               "INSERT INTO payloads (payload_id, received_at, created_at, agent_version, "
                               "principal, remote, json, batch_id, batch_index, batch_count) "
                               "VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (payload_id) DO NOTHING", -1, &stmt, NULL) == SQLITE_OK;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, payload_id, -1, SQLITE_TRANSIENT);
          bind_string_or_null (stmt, 2, object, "created_at");
          bind_string_or_null (stmt, 3, json_object_get_object_member (object, "agent"), "version");
          sqlite3_bind_text (stmt, 4, principal, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 5, remote, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text64 (stmt, 6, json, len, SQLITE_TRANSIENT, SQLITE_UTF8);
          bind_string_or_null (stmt, 7, batch, "id");
          bind_batch_int (stmt, 8, batch, "index");
          bind_batch_int (stmt, 9, batch, "count");
          ok = sqlite3_step (stmt) == SQLITE_DONE;
        }
      sqlite3_finalize (stmt);
      *duplicate = ok && sqlite3_changes (store->db) == 0;
      if (ok && !*duplicate)
        ok = insert_devices (store->db, payload_id, json_object_get_array_member (object, "devices"));
      if (ok)
        ok = sqlite3_exec (store->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    }
  if (!ok)
    {
      set_error (error, store->db, "cannot store the payload");
      sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
    }
  g_mutex_unlock (&store->lock);
  return ok;
}
