/* pw-store-snapshots.c: devices with their latest state, snapshots, history.
 *
 * What pw-store-write.c commits, read back: each device with its newest
 * snapshot (meters, supplies, options, open alerts), and a device's history.
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
#define READING_COLS "SELECT r.snapshot_id, r.name, r.value, r.unit, r.reset "
#define OPTION_COLS \
  "SELECT o.snapshot_id, o.kind, o.idx, o.type, o.name, o.media, o.unit, o.capacity, o.level "
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
  const char *options;
  const char *alerts;
} DeviceQueries;

static const DeviceQueries all_devices = {
  DEVICE_SELECT LATEST_JOIN "ORDER BY d.id",
  READING_COLS "FROM devices d " LATEST_ONLY
  "JOIN readings r ON r.snapshot_id = s.id ORDER BY r.snapshot_id, r.seq",
  SUPPLY_COLS "FROM devices d " LATEST_ONLY
  "JOIN supplies u ON u.snapshot_id = s.id ORDER BY u.snapshot_id, u.seq",
  OPTION_COLS "FROM devices d " LATEST_ONLY
  "JOIN options o ON o.snapshot_id = s.id ORDER BY o.snapshot_id, o.seq",
  ALERT_COLS "FROM alerts a WHERE a.cleared_at IS NULL ORDER BY a.device_id, a.idx, a.id",
};

static const DeviceQueries one_device = {
  DEVICE_SELECT LATEST_JOIN "WHERE d.id = ?1",
  READING_COLS "FROM devices d " LATEST_ONLY
  "JOIN readings r ON r.snapshot_id = s.id WHERE d.id = ?1 ORDER BY r.seq",
  SUPPLY_COLS "FROM devices d " LATEST_ONLY
  "JOIN supplies u ON u.snapshot_id = s.id WHERE d.id = ?1 ORDER BY u.seq",
  OPTION_COLS "FROM devices d " LATEST_ONLY
  "JOIN options o ON o.snapshot_id = s.id WHERE d.id = ?1 ORDER BY o.seq",
  ALERT_COLS "FROM alerts a WHERE a.cleared_at IS NULL AND a.device_id = ?1 ORDER BY a.idx, a.id",
};

/* The devices whose ids lie in [?1, ?2], for reports that page through a large fleet. */
static const DeviceQueries range_devices = {
  DEVICE_SELECT LATEST_JOIN "WHERE d.id BETWEEN ?1 AND ?2 ORDER BY d.id",
  READING_COLS "FROM devices d " LATEST_ONLY
  "JOIN readings r ON r.snapshot_id = s.id WHERE d.id BETWEEN ?1 AND ?2 ORDER BY r.snapshot_id, r.seq",
  SUPPLY_COLS "FROM devices d " LATEST_ONLY
  "JOIN supplies u ON u.snapshot_id = s.id WHERE d.id BETWEEN ?1 AND ?2 ORDER BY u.snapshot_id, u.seq",
  OPTION_COLS "FROM devices d " LATEST_ONLY
  "JOIN options o ON o.snapshot_id = s.id WHERE d.id BETWEEN ?1 AND ?2 ORDER BY o.snapshot_id, o.seq",
  ALERT_COLS "FROM alerts a WHERE a.cleared_at IS NULL AND a.device_id BETWEEN ?1 AND ?2 "
  "ORDER BY a.device_id, a.idx, a.id",
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
  GPtrArray *counters = pw_snapshot_get_counters (snapshot);

  pw_snapshot_add_counter (snapshot,
                           (const char *) sqlite3_column_text (stmt, 1),
                           sqlite3_column_int64 (stmt, 2),
                           (const char *) sqlite3_column_text (stmt, 3));
  _pw_snapshot_set_counter_reset (snapshot, counters->len - 1, sqlite3_column_int (stmt, 4) != 0);
}

static void
add_option (sqlite3_stmt *stmt,
            PwSnapshot   *snapshot)
{
  PwOption option = {
    .kind = sqlite3_column_int (stmt, 1),
    .index = sqlite3_column_int (stmt, 2),
    .type = sqlite3_column_int (stmt, 3),
    .name = (char *) sqlite3_column_text (stmt, 4),
    .media = (char *) sqlite3_column_text (stmt, 5),
    .unit = sqlite3_column_int (stmt, 6),
    .capacity = sqlite3_column_int64 (stmt, 7),
    .level = sqlite3_column_int64 (stmt, 8),
  };

  pw_snapshot_add_option (snapshot, &option);
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

/* Called with the lock held; @params are the queries' ?1 and ?2, as far as they have them. */
static GPtrArray *
load_devices (PwStore              *self,
              const DeviceQueries  *queries,
              const gint64          params[2],
              GError              **error)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_snapshot = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) by_device = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, queries->devices, error);
    int rc;

    if (stmt == NULL)
      return NULL;
    for (int i = 0; i < sqlite3_bind_parameter_count (stmt); i++)
      sqlite3_bind_int64 (stmt, i + 1, params[i]);
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
       fill_rows (self, queries->options, params, by_snapshot, add_option, error) &&
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
  const gint64 params[2] = { device_id, 0 };

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  devices = load_devices (self, &one_device, params, error);
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
  const gint64 params[2] = { 0, 0 };

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  devices = load_devices (self, &all_devices, params, error);
  _pw_store_unlock (self);
  return devices;
}

/**
 * pw_store_list_devices_between:
 * @first_id: the first device id, included
 * @last_id: the last one, included
 *
 * As pw_store_list_devices (), for the devices whose ids lie in
 * [@first_id, @last_id]: a large fleet a part at a time.
 *
 * Returns: (transfer full) (element-type PwDevice): the devices, by id
 */
GPtrArray *
pw_store_list_devices_between (PwStore  *self,
                               gint64    first_id,
                               gint64    last_id,
                               GError  **error)
{
  GPtrArray *devices;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  devices = _pw_store_load_devices_range (self, first_id, last_id, error);
  _pw_store_unlock (self);
  return devices;
}

/* The devices with ids in [@first_id, @last_id], by id, each with its latest
 * snapshot as pw_store_list_devices() gives it. Called with the lock held. */
GPtrArray *
_pw_store_load_devices_range (PwStore  *self,
                              gint64    first_id,
                              gint64    last_id,
                              GError  **error)
{
  const gint64 params[2] = { first_id, last_id };

  return load_devices (self, &range_devices, params, error);
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
