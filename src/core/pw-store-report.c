/* pw-store-report.c: the store read whole, in order, for reports.
 *
 * Read only. Devices come in batches, each loaded as pw_store_list_devices()
 * loads them and handed over outside the lock; the rows of a period stream
 * straight from SQLite, under the lock, in the order of the indexes that
 * serve them (snapshots by device, then time), so no query sorts millions
 * of rows. Wrapped in pw_store_read_begin() and pw_store_read_end(), all the
 * walks of one report read the same state of the database, whatever the
 * poller commits meanwhile on another connection (WAL).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"
#include "pw-store-report.h"

/* Devices loaded at a time by pw_store_foreach_device(). */
#define DEVICE_BATCH 256

/* Rows between two looks at the cancellable. */
#define CANCEL_CHECK_ROWS 4096

static const char SQL_READ_BEGIN[] = "BEGIN DEFERRED";
/* A deferred transaction takes its snapshot at its first read. */
static const char SQL_READ_START[] = "SELECT count(*) FROM agent_state";
static const char SQL_READ_END[] = "COMMIT";

static const char SQL_DEVICE_IDS[] = "SELECT id FROM devices WHERE id > ?1 ORDER BY id LIMIT ?2";

/* snapshots_device_time serves the order; the period filters it. */
#define PERIOD_ORDER "WHERE s.taken_at >= ?1 AND s.taken_at < ?2 ORDER BY s.device_id, s.taken_at, s.id"
static const char SQL_READINGS[] =
  "SELECT s.device_id, s.taken_at, r.name, r.value, r.unit, r.reset "
  "FROM snapshots s INDEXED BY snapshots_device_time JOIN readings r ON r.snapshot_id = s.id "
  PERIOD_ORDER ", r.seq";
static const char SQL_SUPPLY_LEVELS[] =
  "SELECT s.device_id, s.taken_at, u.idx, u.level, u.max_capacity "
  "FROM snapshots s INDEXED BY snapshots_device_time JOIN supplies u ON u.snapshot_id = s.id "
  PERIOD_ORDER ", u.seq";
/* Every alert seen at some time in [?1, ?2): it appeared before the end
 * and was still there at the start. */
static const char SQL_ALERTS[] =
  "SELECT a.device_id, a.idx, a.severity, a.training, a.grp, a.group_index, a.location, a.code, "
  "  a.description, a.alert_time, a.first_seen, a.last_seen, a.cleared_at "
  "FROM alerts a WHERE a.first_seen < ?2 AND (a.cleared_at IS NULL OR a.cleared_at >= ?1) "
  "ORDER BY a.device_id, a.first_seen, a.id";

/**
 * pw_store_read_begin:
 *
 * Opens a read transaction: what this store reads until pw_store_read_end()
 * is one state of the database. Meant for a store of the reader's own (a
 * second pw_store_open() of the same file): meanwhile it must not write.
 */
gboolean
pw_store_read_begin (PwStore  *self,
                     GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);

  _pw_store_lock (self);
  ok = _pw_store_exec (self, SQL_READ_BEGIN, error);
  if (ok && !_pw_store_exec (self, SQL_READ_START, error))
    {
      _pw_store_rollback (self);
      ok = FALSE;
    }
  _pw_store_unlock (self);
  return ok;
}

void
pw_store_read_end (PwStore *self)
{
  g_return_if_fail (PW_IS_STORE (self));

  _pw_store_lock (self);
  if (!_pw_store_exec (self, SQL_READ_END, NULL))
    _pw_store_rollback (self);
  _pw_store_unlock (self);
}

/* Up to DEVICE_BATCH devices after @after_id, or an empty array at the end. */
static GPtrArray *
load_batch (PwStore  *self,
            gint64    after_id,
            GError  **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  gint64 first_id = 0, last_id = 0;
  guint n = 0;

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_DEVICE_IDS, error);
    int rc = SQLITE_ERROR;

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, after_id);
        sqlite3_bind_int (stmt, 2, DEVICE_BATCH);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            last_id = sqlite3_column_int64 (stmt, 0);
            if (n++ == 0)
              first_id = last_id;
          }
        if (rc != SQLITE_DONE)
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
    if (rc == SQLITE_DONE)
      devices = n == 0 ? g_ptr_array_new_with_free_func (g_object_unref)
                       : _pw_store_load_devices_range (self, first_id, last_id, error);
  }
  _pw_store_unlock (self);
  return g_steal_pointer (&devices);
}

/**
 * pw_store_foreach_device:
 * @func: called for each device, by id, with its latest snapshot (meters,
 *   supplies, options and open alerts); the store is not locked meanwhile
 *
 * Walks every device as pw_store_list_devices() gives it, a few hundred
 * at a time.
 */
gboolean
pw_store_foreach_device (PwStore            *self,
                         PwStoreDeviceFunc   func,
                         gpointer            user_data,
                         GCancellable       *cancellable,
                         GError            **error)
{
  gint64 after_id = 0;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  for (;;)
    {
      g_autoptr(GPtrArray) devices = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      devices = load_batch (self, after_id, error);
      if (devices == NULL)
        return FALSE;
      if (devices->len == 0)
        return TRUE;
      for (guint i = 0; i < devices->len; i++)
        if (!func (devices->pdata[i], user_data, error))
          return FALSE;
      after_id = pw_device_get_id (devices->pdata[devices->len - 1]);
    }
}

typedef gboolean (*RowFunc) (sqlite3_stmt  *stmt,
                             gpointer       func,
                             gpointer       user_data,
                             GError       **error);

/* Runs @sql with ?1 = @from, ?2 = @to and hands each row to @row. */
static gboolean
stream_rows (PwStore       *self,
             const char    *sql,
             gint64         from,
             gint64         to,
             RowFunc        row,
             gpointer       func,
             gpointer       user_data,
             GCancellable  *cancellable,
             GError       **error)
{
  gboolean ok = FALSE;

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, sql, error);
    guint n = 0;
    int rc = SQLITE_DONE;

    if (stmt != NULL)
      {
        ok = TRUE;
        sqlite3_bind_int64 (stmt, 1, from);
        sqlite3_bind_int64 (stmt, 2, to);
        while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            if (++n % CANCEL_CHECK_ROWS == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
              ok = FALSE;
            else
              ok = row (stmt, func, user_data, error);
          }
        if (ok && rc != SQLITE_DONE)
          {
            _pw_store_set_error (error, _pw_store_get_db (self), rc);
            ok = FALSE;
          }
      }
  }
  _pw_store_unlock (self);
  return ok;
}

static gboolean
reading_row (sqlite3_stmt  *stmt,
             gpointer       func,
             gpointer       user_data,
             GError       **error)
{
  PwStoreReading reading = {
    .device_id = sqlite3_column_int64 (stmt, 0),
    .taken_at = sqlite3_column_int64 (stmt, 1),
    .name = (const char *) sqlite3_column_text (stmt, 2),
    .value = sqlite3_column_int64 (stmt, 3),
    .unit = (const char *) sqlite3_column_text (stmt, 4),
    .reset = sqlite3_column_int (stmt, 5) != 0,
  };

  return ((PwStoreReadingFunc) func) (&reading, user_data, error);
}

/**
 * pw_store_foreach_reading:
 * @from: first second of the period (included)
 * @to: end of the period (excluded)
 * @func: called for each meter read, by device, then time, then the order
 *   the poll read them in; with the store locked: it must not call the store
 */
gboolean
pw_store_foreach_reading (PwStore             *self,
                          gint64               from,
                          gint64               to,
                          PwStoreReadingFunc   func,
                          gpointer             user_data,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return stream_rows (self, SQL_READINGS, from, to, reading_row, func, user_data, cancellable, error);
}

static gboolean
supply_level_row (sqlite3_stmt  *stmt,
                  gpointer       func,
                  gpointer       user_data,
                  GError       **error)
{
  PwStoreSupplyLevel level = {
    .device_id = sqlite3_column_int64 (stmt, 0),
    .taken_at = sqlite3_column_int64 (stmt, 1),
    .index = sqlite3_column_int (stmt, 2),
    .level = sqlite3_column_int64 (stmt, 3),
    .max_capacity = sqlite3_column_int64 (stmt, 4),
  };

  return ((PwStoreSupplyLevelFunc) func) (&level, user_data, error);
}

/**
 * pw_store_foreach_supply_level:
 * @func: called for each supply of each snapshot in [@from, @to), by device,
 *   then time; with the store locked: it must not call the store
 */
gboolean
pw_store_foreach_supply_level (PwStore                 *self,
                               gint64                   from,
                               gint64                   to,
                               PwStoreSupplyLevelFunc   func,
                               gpointer                 user_data,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return stream_rows (self, SQL_SUPPLY_LEVELS, from, to, supply_level_row, func, user_data, cancellable,
                      error);
}

static gboolean
alert_row (sqlite3_stmt  *stmt,
           gpointer       func,
           gpointer       user_data,
           GError       **error)
{
  PwStoreAlertSpan span = {
    .device_id = sqlite3_column_int64 (stmt, 0),
    .alert = {
      .index = sqlite3_column_int (stmt, 1),
      .severity = sqlite3_column_int (stmt, 2),
      .training = sqlite3_column_int (stmt, 3),
      .group = sqlite3_column_int (stmt, 4),
      .group_index = sqlite3_column_int (stmt, 5),
      .location = sqlite3_column_int (stmt, 6),
      .code = sqlite3_column_int (stmt, 7),
      .description = (char *) sqlite3_column_text (stmt, 8),
      .time = sqlite3_column_int64 (stmt, 9),
    },
    .first_seen = sqlite3_column_int64 (stmt, 10),
    .last_seen = sqlite3_column_int64 (stmt, 11),
    .cleared_at = sqlite3_column_int64 (stmt, 12),
  };

  return ((PwStoreAlertFunc) func) (&span, user_data, error);
}

/**
 * pw_store_foreach_alert:
 * @func: called for each alert seen at some time in [@from, @to), by device,
 *   then when it appeared; with the store locked: it must not call the store
 */
gboolean
pw_store_foreach_alert (PwStore           *self,
                        gint64             from,
                        gint64             to,
                        PwStoreAlertFunc   func,
                        gpointer           user_data,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return stream_rows (self, SQL_ALERTS, from, to, alert_row, func, user_data, cancellable, error);
}
