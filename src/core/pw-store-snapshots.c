/* pw-store-snapshots.c: devices with their latest state, snapshots, history.
 *
 * A snapshot is committed in one transaction with the device's identity,
 * its meters, supplies and alerts: a reader sees all of a poll or none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"
#include "pw-device-private.h"
#include "pw-snapshot-private.h"
#include "pw-address.h"

#include <glib/gi18n-lib.h>

/* Devices joined to their newest snapshot. Identity columns 4..13 are in
 * PwIdentityField order; snapshot columns start at SNAPSHOT_COL. */
#define DEVICE_SELECT \
  "SELECT d.id, d.host, d.port, d.name, " \
  "  d.vendor, d.model, d.serial, d.firmware, d.mac, " \
  "  d.sys_name, d.sys_descr, d.sys_object_id, d.location, d.contact, " \
  "  d.credential_profile_id, d.in_scope, d.added_at, d.first_seen, d.last_seen, " \
  "  d.reachable, d.last_error, " \
  "  s.id, s.taken_at, s.device_status, s.printer_status, s.error_state, s.uptime "
#define IDENTITY_COL 4
#define SNAPSHOT_COL 21
#define LATEST_JOIN \
  "FROM devices d LEFT JOIN snapshots s ON s.id = " \
  "  (SELECT id FROM snapshots WHERE device_id = d.id ORDER BY taken_at DESC, id DESC LIMIT 1) "
#define LATEST_ONLY \
  "JOIN snapshots s ON s.id = " \
  "  (SELECT id FROM snapshots WHERE device_id = d.id ORDER BY taken_at DESC, id DESC LIMIT 1) "
#define READING_COLS "SELECT r.snapshot_id, r.name, r.value, r.unit "
#define SUPPLY_COLS \
  "SELECT u.snapshot_id, u.idx, u.description, u.type, u.class, u.unit, " \
  "  u.max_capacity, u.level, u.colour "
#define ALERT_COLS \
  "SELECT a.device_id, a.idx, a.severity, a.training, a.grp, a.group_index, " \
  "  a.location, a.code, a.description, a.alert_time "

/* The same four queries for all devices and for one (?1 = its id). */
typedef struct {
  const char *devices;
  const char *readings;
  const char *supplies;
  const char *alerts;
} DeviceQueries;

static const DeviceQueries all_devices = {
  DEVICE_SELECT LATEST_JOIN "ORDER BY d.id",
  READING_COLS "FROM devices d " LATEST_ONLY
  "JOIN readings r ON r.snapshot_id = s.id ORDER BY r.snapshot_id, r.seq",
  SUPPLY_COLS "FROM devices d " LATEST_ONLY
  "JOIN supplies u ON u.snapshot_id = s.id ORDER BY u.snapshot_id, u.seq",
  ALERT_COLS "FROM alerts a WHERE a.cleared_at IS NULL ORDER BY a.device_id, a.idx, a.id",
};

static const DeviceQueries one_device = {
  DEVICE_SELECT LATEST_JOIN "WHERE d.id = ?1",
  READING_COLS "FROM devices d " LATEST_ONLY
  "JOIN readings r ON r.snapshot_id = s.id WHERE d.id = ?1 ORDER BY r.seq",
  SUPPLY_COLS "FROM devices d " LATEST_ONLY
  "JOIN supplies u ON u.snapshot_id = s.id WHERE d.id = ?1 ORDER BY u.seq",
  ALERT_COLS "FROM alerts a WHERE a.cleared_at IS NULL AND a.device_id = ?1 ORDER BY a.idx, a.id",
};

/* Snapshots of one device (?1) taken in [?2, ?3). */
#define PERIOD "s.device_id = ?1 AND s.taken_at >= ?2 AND s.taken_at < ?3 "
static const char SQL_HISTORY[] =
  "SELECT s.id, s.taken_at, s.device_status, s.printer_status, s.error_state, s.uptime "
  "FROM snapshots s WHERE " PERIOD "ORDER BY s.taken_at, s.id";
static const char SQL_HISTORY_READINGS[] =
  READING_COLS "FROM snapshots s JOIN readings r ON r.snapshot_id = s.id "
  "WHERE " PERIOD "ORDER BY r.snapshot_id, r.seq";
static const char SQL_HISTORY_SUPPLIES[] =
  SUPPLY_COLS "FROM snapshots s JOIN supplies u ON u.snapshot_id = s.id "
  "WHERE " PERIOD "ORDER BY u.snapshot_id, u.seq";

static PwSnapshot *
snapshot_from_row (sqlite3_stmt *stmt,
                   int           col)
{
  PwSnapshot *snapshot = pw_snapshot_new (sqlite3_column_int64 (stmt, col + 1));

  _pw_snapshot_set_id (snapshot, sqlite3_column_int64 (stmt, col));
  pw_snapshot_set_status (snapshot,
                          sqlite3_column_int (stmt, col + 2),
                          sqlite3_column_int (stmt, col + 3),
                          (guint32) sqlite3_column_int64 (stmt, col + 4));
  if (sqlite3_column_type (stmt, col + 5) != SQLITE_NULL)
    pw_snapshot_set_uptime (snapshot, sqlite3_column_int64 (stmt, col + 5));
  return snapshot;
}

static PwDevice *
device_from_row (sqlite3_stmt *stmt)
{
  PwDevice *device = g_object_new (PW_TYPE_DEVICE, NULL);

  device->id = sqlite3_column_int64 (stmt, 0);
  device->host = _pw_column_dup (stmt, 1);
  device->port = (guint16) sqlite3_column_int (stmt, 2);
  device->name = _pw_column_dup (stmt, 3);
  for (guint i = 0; i < PW_N_IDENTITY_FIELDS; i++)
    device->identity[i] = _pw_column_dup (stmt, IDENTITY_COL + i);
  device->credential_profile = sqlite3_column_int64 (stmt, 14);
  device->in_scope = sqlite3_column_int (stmt, 15) != 0;
  device->added_at = sqlite3_column_int64 (stmt, 16);
  device->first_seen = sqlite3_column_int64 (stmt, 17);
  device->last_seen = sqlite3_column_int64 (stmt, 18);
  device->reachable = sqlite3_column_int (stmt, 19) != 0;
  device->last_error = _pw_column_dup (stmt, 20);
  if (sqlite3_column_type (stmt, SNAPSHOT_COL) != SQLITE_NULL)
    device->latest = snapshot_from_row (stmt, SNAPSHOT_COL);
  return device;
}

typedef void (*RowFunc) (sqlite3_stmt *stmt,
                         PwSnapshot   *snapshot);

static void
add_reading (sqlite3_stmt *stmt,
             PwSnapshot   *snapshot)
{
  pw_snapshot_add_counter (snapshot,
                           (const char *) sqlite3_column_text (stmt, 1),
                           sqlite3_column_int64 (stmt, 2),
                           (const char *) sqlite3_column_text (stmt, 3));
}

static void
add_supply (sqlite3_stmt *stmt,
            PwSnapshot   *snapshot)
{
  PwSupply supply = {
    .index = sqlite3_column_int (stmt, 1),
    .description = (char *) sqlite3_column_text (stmt, 2),
    .type = sqlite3_column_int (stmt, 3),
    .supply_class = sqlite3_column_int (stmt, 4),
    .unit = sqlite3_column_int (stmt, 5),
    .max_capacity = sqlite3_column_int64 (stmt, 6),
    .level = sqlite3_column_int64 (stmt, 7),
    .colour = (char *) sqlite3_column_text (stmt, 8),
  };

  pw_snapshot_add_supply (snapshot, &supply);
}

static void
add_alert (sqlite3_stmt *stmt,
           PwSnapshot   *snapshot)
{
  PwAlert alert = {
    .index = sqlite3_column_int (stmt, 1),
    .severity = sqlite3_column_int (stmt, 2),
    .training = sqlite3_column_int (stmt, 3),
    .group = sqlite3_column_int (stmt, 4),
    .group_index = sqlite3_column_int (stmt, 5),
    .location = sqlite3_column_int (stmt, 6),
    .code = sqlite3_column_int (stmt, 7),
    .description = (char *) sqlite3_column_text (stmt, 8),
    .time = sqlite3_column_int64 (stmt, 9),
  };

  pw_snapshot_add_alert (snapshot, &alert);
}

/* Binds the parameters a query declares (none, ?1, or ?1..?3) and returns
 * the rows in order; column 0 is the key into @by_key. */
static gboolean
fill_rows (PwStore      *self,
           const char   *sql,
           const gint64 *params,
           GHashTable   *by_key,
           RowFunc       func,
           GError      **error)
{
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  for (int i = 0; i < sqlite3_bind_parameter_count (stmt); i++)
    sqlite3_bind_int64 (stmt, i + 1, params[i]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);
      PwSnapshot *snapshot = g_hash_table_lookup (by_key, &key);

      if (snapshot != NULL)
        func (stmt, snapshot);
    }
  if (rc != SQLITE_DONE)
    {
      _pw_store_set_error (error, _pw_store_get_db (self), rc);
      return FALSE;
    }
  return TRUE;
}

/* Called with the lock held. */
static GPtrArray *
load_devices (PwStore              *self,
              const DeviceQueries  *queries,
              gint64                device_id,
              GError              **error)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_snapshot = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) by_device = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 params[1] = { device_id };

  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, queries->devices, error);
    int rc;

    if (stmt == NULL)
      return NULL;
    if (sqlite3_bind_parameter_count (stmt) > 0)
      sqlite3_bind_int64 (stmt, 1, device_id);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        PwDevice *device = device_from_row (stmt);

        g_ptr_array_add (devices, device);
        if (device->latest != NULL)
          {
            gint64 snapshot_id = pw_snapshot_get_id (device->latest);

            g_hash_table_insert (by_snapshot, g_memdup2 (&snapshot_id, sizeof snapshot_id),
                                 device->latest);
            g_hash_table_insert (by_device, g_memdup2 (&device->id, sizeof device->id),
                                 device->latest);
          }
      }
    if (rc != SQLITE_DONE)
      {
        _pw_store_set_error (error, _pw_store_get_db (self), rc);
        return NULL;
      }
  }

  if (devices->len == 0 ||
      (fill_rows (self, queries->readings, params, by_snapshot, add_reading, error) &&
       fill_rows (self, queries->supplies, params, by_snapshot, add_supply, error) &&
       fill_rows (self, queries->alerts, params, by_device, add_alert, error)))
    return g_steal_pointer (&devices);
  return NULL;
}

/**
 * pw_store_get_device:
 *
 * Returns: (transfer full) (nullable): the device with its latest snapshot,
 *   or %NULL with %PW_STORE_ERROR_NOT_FOUND
 */
PwDevice *
pw_store_get_device (PwStore  *self,
                     gint64    device_id,
                     GError  **error)
{
  g_autoptr(GPtrArray) devices = NULL;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  devices = load_devices (self, &one_device, device_id, error);
  _pw_store_unlock (self);

  if (devices == NULL)
    return NULL;
  if (devices->len == 0)
    {
      _pw_store_set_not_found (error, device_id);
      return NULL;
    }
  return g_object_ref (devices->pdata[0]);
}

/**
 * pw_store_list_devices:
 *
 * The latest state of every device: identity, and its newest snapshot with
 * meters, supplies and the alerts still open.
 *
 * Returns: (transfer full) (element-type PwDevice): the devices, by id
 */
GPtrArray *
pw_store_list_devices (PwStore  *self,
                       GError  **error)
{
  GPtrArray *devices;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  devices = load_devices (self, &all_devices, 0, error);
  _pw_store_unlock (self);
  return devices;
}

static void
list_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *devices = pw_store_list_devices (source_object, &error);

  if (devices == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
}

void
pw_store_list_devices_async (PwStore             *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, pw_store_list_devices_async);
  g_task_run_in_thread (task, list_worker);
}

GPtrArray *
pw_store_list_devices_finish (PwStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

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
  "INSERT INTO readings (snapshot_id, seq, name, value, unit) VALUES (?1, ?2, ?3, ?4, ?5)";
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
  gint64 snapshot_id = 0;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (PW_IS_SNAPSHOT (snapshot), FALSE);

  _pw_store_lock (self);
  if (_pw_store_begin (self, error))
    {
      snapshot_id = write_snapshot (self, device_id, snapshot, error);
      if (snapshot_id == 0 || !_pw_store_commit (self, error))
        {
          snapshot_id = 0;
          _pw_store_rollback (self);
        }
    }
  _pw_store_unlock (self);

  if (snapshot_id != 0)
    _pw_snapshot_set_id (snapshot, snapshot_id);
  return snapshot_id != 0;
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

/**
 * pw_store_get_history:
 * @from: first second of the period (unix time, included)
 * @to: end of the period (excluded)
 *
 * Returns: (transfer full) (element-type PwSnapshot) (nullable): the device's
 *   snapshots taken in [@from, @to), oldest first, with meters and supplies
 */
GPtrArray *
pw_store_get_history (PwStore  *self,
                      gint64    device_id,
                      gint64    from,
                      gint64    to,
                      GError  **error)
{
  g_autoptr(GPtrArray) snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  const gint64 params[3] = { device_id, from, to };
  gboolean ok = FALSE;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_HISTORY, error);
    int rc = SQLITE_ERROR;

    if (stmt != NULL)
      {
        for (int i = 0; i < 3; i++)
          sqlite3_bind_int64 (stmt, i + 1, params[i]);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            PwSnapshot *snapshot = snapshot_from_row (stmt, 0);
            gint64 id = pw_snapshot_get_id (snapshot);

            g_ptr_array_add (snapshots, snapshot);
            g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), snapshot);
          }
        if (rc != SQLITE_DONE)
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
    ok = rc == SQLITE_DONE &&
         fill_rows (self, SQL_HISTORY_READINGS, params, by_id, add_reading, error) &&
         fill_rows (self, SQL_HISTORY_SUPPLIES, params, by_id, add_supply, error);
  }
  _pw_store_unlock (self);

  return ok ? g_steal_pointer (&snapshots) : NULL;
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
