/* pw-store-write.c: committing what polls and sweeps read.
 *
 * A snapshot is committed in one transaction with the device's identity,
 * its meters (each flagged when lower than the device's previous reading
 * of it: a replaced or reset counter is kept, not dropped), supplies,
 * options and alerts: a reader sees all of a poll or none. Many snapshots
 * can share one transaction (pw_store_append_snapshots ()): one commit for
 * a whole import instead of one each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"
#include "pw-snapshot-private.h"
#include "pw-address.h"

#include <glib/gi18n-lib.h>
/* Writing a snapshot */

static const char SQL_TOUCH_DEVICE[] =
  "UPDATE devices SET "
  "  vendor = coalesce(?2, vendor), model = coalesce(?3, model), serial = coalesce(?4, serial), "
  "  firmware = coalesce(?5, firmware), mac = coalesce(?6, mac), sys_name = coalesce(?7, sys_name), "
  "  sys_descr = coalesce(?8, sys_descr), sys_object_id = coalesce(?9, sys_object_id), "
  "  location = coalesce(?10, location), contact = coalesce(?11, contact), "
  "  first_seen = coalesce(first_seen, ?12), last_seen = max(coalesce(last_seen, 0), ?12), "
  "  reachable = 1, last_error = NULL "
  "WHERE id = ?1";
static const char SQL_INSERT_SNAPSHOT[] =
  "INSERT INTO snapshots (device_id, taken_at, device_status, printer_status, error_state, uptime) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_INSERT_READING[] =
  "INSERT INTO readings (snapshot_id, seq, name, value, unit, reset) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* The device's readings in its newest snapshot before the one being written. */
static const char SQL_PREVIOUS_READINGS[] =
  "SELECT r.name, r.value FROM readings r WHERE r.snapshot_id = "
  "  (SELECT id FROM snapshots WHERE device_id = ?1 AND id <> ?2 AND taken_at <= ?3 "
  "   ORDER BY taken_at DESC, id DESC LIMIT 1)";
static const char SQL_INSERT_OPTION[] =
  "INSERT INTO options (snapshot_id, seq, kind, idx, type, name, media, unit, capacity, level) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_INSERT_SUPPLY[] =
  "INSERT INTO supplies (snapshot_id, seq, idx, description, type, class, unit, max_capacity, "
  "  level, colour) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
/* The same alert is the same row of prtAlertTable with the same meaning. */
static const char SQL_FIND_OPEN_ALERT[] =
  "SELECT id FROM alerts WHERE device_id = ?1 AND cleared_at IS NULL AND idx = ?2 AND code = ?3 "
  "  AND grp = ?4 AND group_index = ?5 AND location = ?6 AND description IS ?7 "
  "  AND seen_in < ?8 LIMIT 1";
static const char SQL_SEEN_ALERT[] =
  "UPDATE alerts SET seen_in = ?2, last_seen = ?3, severity = ?4, training = ?5, alert_time = ?6 "
  "WHERE id = ?1";
static const char SQL_INSERT_ALERT[] =
  "INSERT INTO alerts (device_id, idx, severity, training, grp, group_index, location, code, "
  "  description, alert_time, seen_in, first_seen, last_seen) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";
static const char SQL_CLEAR_ALERTS[] =
  "UPDATE alerts SET cleared_at = ?3 WHERE device_id = ?1 AND cleared_at IS NULL AND seen_in < ?2";

static gboolean
write_alert (PwStore        *self,
             gint64          device_id,
             gint64          snapshot_id,
             gint64          taken_at,
             const PwAlert  *alert,
             GError        **error)
{
  gint64 alert_id = 0;
  int rc;

  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_FIND_OPEN_ALERT, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, device_id);
    sqlite3_bind_int (stmt, 2, alert->index);
    sqlite3_bind_int (stmt, 3, alert->code);
    sqlite3_bind_int (stmt, 4, alert->group);
    sqlite3_bind_int (stmt, 5, alert->group_index);
    sqlite3_bind_int (stmt, 6, alert->location);
    _pw_bind_text (stmt, 7, alert->description);
    sqlite3_bind_int64 (stmt, 8, snapshot_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      alert_id = sqlite3_column_int64 (stmt, 0);
    else if (rc != SQLITE_DONE)
      {
        _pw_store_set_error (error, _pw_store_get_db (self), rc);
        return FALSE;
      }
  }

  if (alert_id != 0)
    {
      g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_SEEN_ALERT, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, alert_id);
      sqlite3_bind_int64 (stmt, 2, snapshot_id);
      sqlite3_bind_int64 (stmt, 3, taken_at);
      sqlite3_bind_int (stmt, 4, alert->severity);
      sqlite3_bind_int (stmt, 5, alert->training);
      sqlite3_bind_int64 (stmt, 6, alert->time);
      return _pw_store_step_done (self, stmt, error);
    }
  else
    {
      g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_INSERT_ALERT, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, device_id);
      sqlite3_bind_int (stmt, 2, alert->index);
      sqlite3_bind_int (stmt, 3, alert->severity);
      sqlite3_bind_int (stmt, 4, alert->training);
      sqlite3_bind_int (stmt, 5, alert->group);
      sqlite3_bind_int (stmt, 6, alert->group_index);
      sqlite3_bind_int (stmt, 7, alert->location);
      sqlite3_bind_int (stmt, 8, alert->code);
      _pw_bind_text (stmt, 9, alert->description);
      sqlite3_bind_int64 (stmt, 10, alert->time);
      sqlite3_bind_int64 (stmt, 11, snapshot_id);
      sqlite3_bind_int64 (stmt, 12, taken_at);
      return _pw_store_step_done (self, stmt, error);
    }
}

/* Writes the identity a poll or probe read (fields it did not read keep
 * their value) and marks the device seen and reachable at its time. */
static gboolean
touch_device (PwStore     *self,
              gint64       device_id,
              PwSnapshot  *snapshot,
              GError     **error)
{
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_TOUCH_DEVICE, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, device_id);
  for (guint i = 0; i < PW_N_IDENTITY_FIELDS; i++)
    _pw_bind_text (stmt, 2 + i, pw_snapshot_get_identity (snapshot, i));
  sqlite3_bind_int64 (stmt, 12, pw_snapshot_get_taken_at (snapshot));
  if (!_pw_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (_pw_store_get_db (self)) == 0)
    {
      _pw_store_set_not_found (error, device_id);
      return FALSE;
    }
  return TRUE;
}

/* Flags each counter of @snapshot that is lower than the same counter in
 * the device's previous snapshot. */
static gboolean
flag_resets (PwStore     *self,
             gint64       device_id,
             gint64       snapshot_id,
             PwSnapshot  *snapshot,
             GError     **error)
{
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);
  g_autoptr(GHashTable) previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_PREVIOUS_READINGS, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, device_id);
  sqlite3_bind_int64 (stmt, 2, snapshot_id);
  sqlite3_bind_int64 (stmt, 3, pw_snapshot_get_taken_at (snapshot));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 value = sqlite3_column_int64 (stmt, 1);

      g_hash_table_insert (previous, _pw_column_dup (stmt, 0), g_memdup2 (&value, sizeof value));
    }
  if (rc != SQLITE_DONE)
    {
      _pw_store_set_error (error, _pw_store_get_db (self), rc);
      return FALSE;
    }
  for (guint i = 0; i < counters->len; i++)
    {
      const PwCounter *counter = counters->pdata[i];
      const gint64 *before = g_hash_table_lookup (previous, counter->name);

      _pw_snapshot_set_counter_reset (snapshot, i, before != NULL && counter->value < *before);
    }
  return TRUE;
}

static gboolean
write_option (PwStore         *self,
              gint64           snapshot_id,
              guint            seq,
              const PwOption  *option,
              GError         **error)
{
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_INSERT_OPTION, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, snapshot_id);
  sqlite3_bind_int (stmt, 2, seq);
  sqlite3_bind_int (stmt, 3, option->kind);
  sqlite3_bind_int (stmt, 4, option->index);
  sqlite3_bind_int (stmt, 5, option->type);
  _pw_bind_text (stmt, 6, option->name);
  _pw_bind_text (stmt, 7, option->media);
  sqlite3_bind_int (stmt, 8, option->unit);
  sqlite3_bind_int64 (stmt, 9, option->capacity);
  sqlite3_bind_int64 (stmt, 10, option->level);
  return _pw_store_step_done (self, stmt, error);
}

/* Called inside the transaction; returns the new snapshot's id, or 0. */
static gint64
write_snapshot (PwStore     *self,
                gint64       device_id,
                PwSnapshot  *snapshot,
                GError     **error)
{
  sqlite3 *db = _pw_store_get_db (self);
  gint64 taken_at = pw_snapshot_get_taken_at (snapshot);
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);
  GPtrArray *supplies = pw_snapshot_get_supplies (snapshot);
  GPtrArray *alerts = pw_snapshot_get_alerts (snapshot);
  GPtrArray *options = pw_snapshot_get_options (snapshot);
  gint64 snapshot_id;

  if (!touch_device (self, device_id, snapshot, error))
    return 0;

  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_INSERT_SNAPSHOT, error);

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, device_id);
    sqlite3_bind_int64 (stmt, 2, taken_at);
    sqlite3_bind_int (stmt, 3, pw_snapshot_get_device_status (snapshot));
    sqlite3_bind_int (stmt, 4, pw_snapshot_get_printer_status (snapshot));
    sqlite3_bind_int64 (stmt, 5, pw_snapshot_get_error_state (snapshot));
    if (pw_snapshot_get_uptime (snapshot) >= 0)
      sqlite3_bind_int64 (stmt, 6, pw_snapshot_get_uptime (snapshot));
    if (!_pw_store_step_done (self, stmt, error))
      return 0;
    snapshot_id = sqlite3_last_insert_rowid (db);
  }

  if (!flag_resets (self, device_id, snapshot_id, snapshot, error))
    return 0;
  for (guint i = 0; i < counters->len; i++)
    {
      const PwCounter *counter = counters->pdata[i];
      g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_INSERT_READING, error);

      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, snapshot_id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_text (stmt, 3, counter->name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, counter->value);
      _pw_bind_text (stmt, 5, counter->unit);
      sqlite3_bind_int (stmt, 6, counter->reset ? 1 : 0);
      if (!_pw_store_step_done (self, stmt, error))
        return 0;
    }

  for (guint i = 0; i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];
      g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_INSERT_SUPPLY, error);

      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, snapshot_id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_int (stmt, 3, supply->index);
      _pw_bind_text (stmt, 4, supply->description);
      sqlite3_bind_int (stmt, 5, supply->type);
      sqlite3_bind_int (stmt, 6, supply->supply_class);
      sqlite3_bind_int (stmt, 7, supply->unit);
      sqlite3_bind_int64 (stmt, 8, supply->max_capacity);
      sqlite3_bind_int64 (stmt, 9, supply->level);
      _pw_bind_text (stmt, 10, supply->colour);
      if (!_pw_store_step_done (self, stmt, error))
        return 0;
    }

  for (guint i = 0; i < options->len; i++)
    if (!write_option (self, snapshot_id, i, options->pdata[i], error))
      return 0;

  for (guint i = 0; i < alerts->len; i++)
    if (!write_alert (self, device_id, snapshot_id, taken_at, alerts->pdata[i], error))
      return 0;

  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_CLEAR_ALERTS, error);

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, device_id);
    sqlite3_bind_int64 (stmt, 2, snapshot_id);
    sqlite3_bind_int64 (stmt, 3, taken_at);
    if (!_pw_store_step_done (self, stmt, error))
      return 0;
  }

  return snapshot_id;
}

/**
 * pw_store_append_snapshot:
 * @snapshot: what a poll read; gets its id when stored
 *
 * Commits @snapshot atomically: its meters, supplies and alerts, the
 * identity it read (fields it did not read keep their value), and the
 * device's last-seen time. On failure nothing of it is written.
 */
gboolean
pw_store_append_snapshot (PwStore     *self,
                          gint64       device_id,
                          PwSnapshot  *snapshot,
                          GError     **error)
{
  PwDeviceSnapshot entry = { device_id, snapshot };

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (PW_IS_SNAPSHOT (snapshot), FALSE);

  return pw_store_append_snapshots (self, &entry, 1, error);
}

/**
 * pw_store_append_snapshots:
 * @entries: (array length=n_entries): snapshots and their devices, oldest
 *   first for each device
 *
 * Commits many snapshots, as pw_store_append_snapshot () commits one, in
 * one transaction: all of them or, on the first failure, none (and none
 * gets an id). Each counter is compared with the device's reading before
 * it, in the store or earlier in @entries. For importing history and for
 * many readings at once; one commit instead of one per snapshot.
 */
gboolean
pw_store_append_snapshots (PwStore                *self,
                           const PwDeviceSnapshot *entries,
                           gsize                   n_entries,
                           GError                **error)
{
  g_autofree gint64 *ids = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL || n_entries == 0, FALSE);
  for (gsize i = 0; i < n_entries; i++)
    g_return_val_if_fail (PW_IS_SNAPSHOT (entries[i].snapshot), FALSE);

  if (n_entries == 0)
    return TRUE;
  ids = g_new0 (gint64, n_entries);
  _pw_store_lock (self);
  if (_pw_store_begin (self, error))
    {
      gsize i;

      for (i = 0; i < n_entries; i++)
        if ((ids[i] = write_snapshot (self, entries[i].device_id, entries[i].snapshot, error)) == 0)
          break;
      ok = i == n_entries && _pw_store_commit (self, error);
      if (!ok)
        _pw_store_rollback (self);
    }
  _pw_store_unlock (self);

  for (gsize i = 0; ok && i < n_entries; i++)
    {
      _pw_snapshot_set_id (entries[i].snapshot, ids[i]);
      /* Said only once it is on disk: tests that kill the process hold the store to it. */
      g_debug ("Committed snapshot %" G_GINT64_FORMAT " of device %" G_GINT64_FORMAT,
               ids[i], entries[i].device_id);
    }
  return ok;
}

/**
 * pw_store_mark_unreachable:
 * @reason: what went wrong, in words
 *
 * Records that a poll failed; the last good snapshot stays as it is.
 */
gboolean
pw_store_mark_unreachable (PwStore     *self,
                           gint64       device_id,
                           const char  *reason,
                           GError     **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self,
                                             "UPDATE devices SET reachable = 0, last_error = ?2 "
                                             "WHERE id = ?1",
                                             error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, device_id);
        _pw_bind_text (stmt, 2, reason);
        ok = _pw_store_step_done (self, stmt, error);
        if (ok && sqlite3_changes (_pw_store_get_db (self)) == 0)
          {
            _pw_store_set_not_found (error, device_id);
            ok = FALSE;
          }
      }
  }
  _pw_store_unlock (self);
  return ok;
}

/* A stored device for a discovered printer: the one at that address, else
 * the same printer (serial, then MAC) seen before at another address. */
static const char SQL_FIND_BY_ADDRESS[] = "SELECT id FROM devices WHERE host = ?1 AND port = ?2";
static const char SQL_FIND_BY_SERIAL[] =
  "SELECT id FROM devices WHERE serial = ?1 AND length (?1) >= 4 ORDER BY id LIMIT 1";
static const char SQL_FIND_BY_MAC[] = "SELECT id FROM devices WHERE mac = ?1 ORDER BY id LIMIT 1";
static const char SQL_INSERT_DEVICE[] = "INSERT INTO devices (host, port, added_at) VALUES (?1, ?2, ?3)";

static gint64
find_id (PwStore     *self,
         const char  *sql,
         const char  *text,
         guint16      port,
         GError     **error)
{
  g_autoptr(PwStmt) stmt = NULL;
  gint64 id = 0;
  int rc;

  if (text == NULL)
    return 0;
  stmt = _pw_store_stmt (self, sql, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_int (stmt, 2, port);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      _pw_store_set_error (error, _pw_store_get_db (self), rc);
      return -1;
    }
  return id;
}

static gint64
note_discovered (PwStore     *self,
                 const char  *host,
                 guint16      port,
                 PwSnapshot  *identity,
                 GError     **error)
{
  gint64 id = find_id (self, SQL_FIND_BY_ADDRESS, host, port, error);

  if (id == 0)
    id = find_id (self, SQL_FIND_BY_SERIAL, pw_snapshot_get_identity (identity, PW_IDENTITY_SERIAL), 0, error);
  if (id == 0)
    id = find_id (self, SQL_FIND_BY_MAC, pw_snapshot_get_identity (identity, PW_IDENTITY_MAC), 0, error);
  if (id == 0)
    {
      g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_INSERT_DEVICE, error);

      if (stmt == NULL)
        return 0;
      sqlite3_bind_text (stmt, 1, host, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, port);
      sqlite3_bind_int64 (stmt, 3, pw_snapshot_get_taken_at (identity));
      if (!_pw_store_step_done (self, stmt, error))
        return 0;
      id = sqlite3_last_insert_rowid (_pw_store_get_db (self));
    }
  if (id < 0 || !touch_device (self, id, identity, error))
    return 0;
  return id;
}

/**
 * pw_store_note_discovered:
 * @host: canonical host, as #PwTargetSpec and #PwAddress give it
 * @identity: the identity fields a discovery probe read, and when
 *
 * Records a printer that discovery found: adds it, or updates the device
 * already known at that address or, by serial or MAC, at another one. No
 * snapshot is added: a probe reads no meters.
 *
 * Returns: the device's id, or 0 with @error set
 */
gint64
pw_store_note_discovered (PwStore     *self,
                          const char  *host,
                          guint16      port,
                          PwSnapshot  *identity,
                          GError     **error)
{
  g_autoptr(PwAddress) address = NULL;
  gint64 id = 0;

  g_return_val_if_fail (PW_IS_STORE (self), 0);
  g_return_val_if_fail (PW_IS_SNAPSHOT (identity), 0);

  address = pw_address_new_host (host, port, error);
  if (address == NULL)
    return 0;

  _pw_store_lock (self);
  if (_pw_store_begin (self, error))
    {
      id = note_discovered (self, address->host, port, identity, error);
      if (id == 0 || !_pw_store_commit (self, error))
        {
          id = 0;
          _pw_store_rollback (self);
        }
    }
  _pw_store_unlock (self);
  return id;
}
