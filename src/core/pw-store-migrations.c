/* pw-store-migrations.c: the schema, as forward migrations.
 *
 * migrations[i] takes a database from user_version i to i + 1. A released
 * migration is never edited: a change to the schema is a new entry at the
 * end. Each runs inside the transaction that also sets user_version, so a
 * crash mid-migration leaves the previous version intact.
 *
 * Times are unix seconds, UTC. Secrets are never stored here: credential
 * profiles keep only what names the keyring item that holds them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "pw-store-private.h"

static const char * const migrations[] = {
  /* 0 -> 1: the first schema */
  "CREATE TABLE credential_profiles ("
  "  id            INTEGER PRIMARY KEY,"
  "  name          TEXT NOT NULL UNIQUE,"
  "  snmp_version  TEXT NOT NULL CHECK (snmp_version IN ('1', '2c', '3')),"
  "  v3_user       TEXT,"
  "  auth_protocol TEXT,"
  "  priv_protocol TEXT,"
  "  secret_ref    TEXT"                /* keyring attribute, never the secret */
  ") STRICT;"

  "CREATE TABLE devices ("
  "  id            INTEGER PRIMARY KEY,"
  "  host          TEXT NOT NULL,"
  "  port          INTEGER NOT NULL DEFAULT 161 CHECK (port BETWEEN 1 AND 65535),"
  "  name          TEXT,"
  "  vendor        TEXT,"
  "  model         TEXT,"
  "  serial        TEXT,"
  "  firmware      TEXT,"
  "  mac           TEXT,"
  "  sys_name      TEXT,"
  "  sys_descr     TEXT,"
  "  sys_object_id TEXT,"
  "  location      TEXT,"
  "  contact       TEXT,"
  "  credential_profile_id INTEGER REFERENCES credential_profiles (id) ON DELETE SET NULL,"
  "  in_scope      INTEGER NOT NULL DEFAULT 1 CHECK (in_scope IN (0, 1)),"
  "  added_at      INTEGER NOT NULL,"
  "  first_seen    INTEGER,"
  "  last_seen     INTEGER,"
  "  reachable     INTEGER NOT NULL DEFAULT 0 CHECK (reachable IN (0, 1)),"
  "  last_error    TEXT,"
  "  UNIQUE (host, port)"
  ") STRICT;"
  "CREATE INDEX devices_serial ON devices (serial) WHERE serial IS NOT NULL;"
  "CREATE INDEX devices_mac ON devices (mac) WHERE mac IS NOT NULL;"

  /* One row per successful poll of a device; meters and supplies hang off it. */
  "CREATE TABLE snapshots ("
  "  id             INTEGER PRIMARY KEY,"
  "  device_id      INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  taken_at       INTEGER NOT NULL,"
  "  device_status  INTEGER NOT NULL DEFAULT 0,"
  "  printer_status INTEGER NOT NULL DEFAULT 0,"
  "  error_state    INTEGER NOT NULL DEFAULT 0,"
  "  uptime         INTEGER"
  ") STRICT;"
  "CREATE INDEX snapshots_device_time ON snapshots (device_id, taken_at);"
  "CREATE INDEX snapshots_time ON snapshots (taken_at);"

  "CREATE TABLE readings ("
  "  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,"
  "  seq         INTEGER NOT NULL,"
  "  name        TEXT NOT NULL,"
  "  value       INTEGER NOT NULL,"
  "  unit        TEXT,"
  "  PRIMARY KEY (snapshot_id, seq)"
  ") STRICT, WITHOUT ROWID;"

  "CREATE TABLE supplies ("
  "  snapshot_id  INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,"
  "  seq          INTEGER NOT NULL,"
  "  idx          INTEGER NOT NULL,"
  "  description  TEXT,"
  "  type         INTEGER NOT NULL,"
  "  class        INTEGER NOT NULL,"
  "  unit         INTEGER NOT NULL,"
  "  max_capacity INTEGER NOT NULL,"
  "  level        INTEGER NOT NULL,"
  "  colour       TEXT,"
  "  PRIMARY KEY (snapshot_id, seq)"
  ") STRICT, WITHOUT ROWID;"

  /* An alert is one row from when a poll first sees it until one no longer does. */
  "CREATE TABLE alerts ("
  "  id          INTEGER PRIMARY KEY,"
  "  device_id   INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,"
  "  idx         INTEGER NOT NULL,"
  "  severity    INTEGER NOT NULL,"
  "  training    INTEGER NOT NULL,"
  "  grp         INTEGER NOT NULL,"
  "  group_index INTEGER NOT NULL,"
  "  location    INTEGER NOT NULL,"
  "  code        INTEGER NOT NULL,"
  "  description TEXT,"
  "  alert_time  INTEGER NOT NULL,"
  "  seen_in     INTEGER NOT NULL,"       /* the last snapshot that showed it */
  "  first_seen  INTEGER NOT NULL,"
  "  last_seen   INTEGER NOT NULL,"
  "  cleared_at  INTEGER"
  ") STRICT;"
  "CREATE INDEX alerts_device_open ON alerts (device_id, cleared_at);"

  /* A payload stays here from before its first upload attempt until the server acknowledged it. */
  "CREATE TABLE outbox ("
  "  id              INTEGER PRIMARY KEY,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  created_at      INTEGER NOT NULL,"
  "  payload         BLOB NOT NULL,"
  "  attempts        INTEGER NOT NULL DEFAULT 0,"
  "  last_attempt_at INTEGER,"
  "  next_attempt_at INTEGER,"
  "  last_error      TEXT"
  ") STRICT;"

  "CREATE TABLE sync_log ("
  "  id              INTEGER PRIMARY KEY,"
  "  at              INTEGER NOT NULL,"
  "  event           TEXT NOT NULL,"
  "  ok              INTEGER NOT NULL CHECK (ok IN (0, 1)),"
  "  idempotency_key TEXT,"
  "  http_status     INTEGER,"
  "  message         TEXT"
  ") STRICT;"
  "CREATE INDEX sync_log_at ON sync_log (at);"

  "CREATE TABLE agent_state ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") STRICT, WITHOUT ROWID;",

  /* 1 -> 2: counters flagged when they went backwards; installed options. */
  "ALTER TABLE readings ADD COLUMN reset INTEGER NOT NULL DEFAULT 0 CHECK (reset IN (0, 1));"

  "CREATE TABLE options ("
  "  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,"
  "  seq         INTEGER NOT NULL,"
  "  kind        INTEGER NOT NULL,"
  "  idx         INTEGER NOT NULL,"
  "  type        INTEGER NOT NULL,"
  "  name        TEXT,"
  "  media       TEXT,"
  "  unit        INTEGER NOT NULL,"
  "  capacity    INTEGER NOT NULL,"
  "  level       INTEGER NOT NULL,"
  "  PRIMARY KEY (snapshot_id, seq)"
  ") STRICT, WITHOUT ROWID;",

  /* 2 -> 3: e-mail notifications. A condition is one row from when a check
   * first sees it until one no longer does; it is told at most once. */
  "CREATE TABLE notifications ("
  "  id          INTEGER PRIMARY KEY,"
  "  device_id   INTEGER REFERENCES devices (id) ON DELETE CASCADE,"  /* NULL: the site */
  "  kind        TEXT NOT NULL,"
  "  key         TEXT NOT NULL DEFAULT '',"
  "  first_seen  INTEGER NOT NULL,"
  "  last_seen   INTEGER NOT NULL,"
  "  notified_at INTEGER,"
  "  cleared_at  INTEGER"
  ") STRICT;"
  "CREATE UNIQUE INDEX notifications_open ON notifications (coalesce (device_id, 0), kind, key) "
  "  WHERE cleared_at IS NULL;"
  "CREATE INDEX notifications_device ON notifications (device_id);"

  /* A mail stays here from before its first attempt until the server accepted it. */
  "CREATE TABLE mail_queue ("
  "  id              INTEGER PRIMARY KEY,"
  "  notification_id INTEGER REFERENCES notifications (id) ON DELETE SET NULL,"
  "  created_at      INTEGER NOT NULL,"
  "  sender          TEXT NOT NULL,"
  "  recipients      TEXT NOT NULL,"         /* one address per line */
  "  subject         TEXT NOT NULL,"
  "  message         BLOB NOT NULL,"         /* RFC 5322, as it is sent */
  "  attempts        INTEGER NOT NULL DEFAULT 0,"
  "  last_attempt_at INTEGER,"
  "  next_attempt_at INTEGER NOT NULL,"
  "  last_error      TEXT"
  ") STRICT;"
  "CREATE INDEX mail_queue_notification ON mail_queue (notification_id);",

  /* 3 -> 4: a day's data goes in parts when the fleet is large, each its own payload
   * (and outbox row); the parts of one day share a batch. */
  "ALTER TABLE outbox ADD COLUMN batch_id TEXT;"                  /* NULL: not in parts */
  "ALTER TABLE outbox ADD COLUMN batch_index INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE outbox ADD COLUMN batch_count INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE outbox ADD COLUMN devices INTEGER;",               /* NULL: not recorded */
};

guint
_pw_store_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

/* Runs inside the caller's write transaction. */
gboolean
_pw_store_migrate (sqlite3  *db,
                   guint     from,
                   GError  **error)
{
  for (guint v = from; v < G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", v + 1);
      int rc;

      g_debug ("Migrating the database from schema %u to %u", v, v + 1);
      rc = sqlite3_exec (db, migrations[v], NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, bump, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          _pw_store_set_error (error, db, rc);
          return FALSE;
        }
    }
  return TRUE;
}
