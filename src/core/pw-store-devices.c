/* pw-store-devices.c: adding, changing, finding and removing devices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"
#include "pw-device-private.h"
#include "pw-address.h"

#include <glib/gi18n-lib.h>

/**
 * pw_store_add_device:
 * @host: an IP address or host name; validated and made canonical here
 * @port: the SNMP port
 *
 * Returns: (transfer full) (nullable): the new device
 */
PwDevice *
pw_store_add_device (PwStore     *self,
                     const char  *host,
                     guint16      port,
                     GError     **error)
{
  g_autoptr(PwAddress) address = NULL;
  gint64 id = 0;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (port == 0)
    {
      g_set_error (error, PW_ADDRESS_ERROR, PW_ADDRESS_ERROR_INVALID_PORT,
                   _("“%s” is not a valid port: use a number from 1 to 65535"), "0");
      return NULL;
    }
  address = pw_address_new_host (host, port, error);
  if (address == NULL)
    return NULL;

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self,
                                                    "INSERT INTO devices (host, port, added_at) VALUES (?1, ?2, ?3)",
                                                    error);
    int rc;

    if (stmt != NULL)
      {
        sqlite3_bind_text (stmt, 1, address->host, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int (stmt, 2, address->port);
        sqlite3_bind_int64 (stmt, 3, _pw_store_now ());
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_DONE)
          id = sqlite3_last_insert_rowid (_pw_store_get_db (self));
        else if (rc == SQLITE_CONSTRAINT_UNIQUE)
          {
            g_autofree char *shown = pw_address_to_string (address);

            g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_EXISTS,
                         _("The printer %s is already in the list"), shown);
          }
        else
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);

  return id != 0 ? pw_store_get_device (self, id, error) : NULL;
}

/**
 * pw_store_update_device:
 *
 * Writes what an admin may change (name, in-scope flag, credentials profile).
 */
gboolean
pw_store_update_device (PwStore   *self,
                        PwDevice  *device,
                        GError   **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (PW_IS_DEVICE (device), FALSE);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self,
                                                    "UPDATE devices SET name = ?2, in_scope = ?3, credential_profile_id = ?4 WHERE id = ?1",
                                                    error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, device->id);
        _pw_bind_text (stmt, 2, device->name);
        sqlite3_bind_int (stmt, 3, device->in_scope);
        if (device->credential_profile > 0)
          sqlite3_bind_int64 (stmt, 4, device->credential_profile);
        else
          sqlite3_bind_null (stmt, 4);
        ok = _pw_store_step_done (self, stmt, error);
        if (ok && sqlite3_changes (_pw_store_get_db (self)) == 0)
          {
            _pw_store_set_not_found (error, device->id);
            ok = FALSE;
          }
      }
  }
  _pw_store_unlock (self);
  return ok;
}

/**
 * pw_store_remove_device:
 *
 * Removes the device with all its history.
 */
gboolean
pw_store_remove_device (PwStore  *self,
                        gint64    device_id,
                        GError  **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self,
                                                    "DELETE FROM devices WHERE id = ?1",
                                                    error);

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, device_id);
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

/* Collects the ids a bound lookup statement returns, under the lock. */
static GArray *
collect_ids (PwStore       *self,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _pw_store_set_error (error, _pw_store_get_db (self), rc);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/**
 * pw_store_find_device:
 * @host: canonical host, as in #PwAddress
 *
 * Returns: (transfer full) (nullable): the device, or %NULL with
 *   %PW_STORE_ERROR_NOT_FOUND
 */
PwDevice *
pw_store_find_device (PwStore     *self,
                      const char  *host,
                      guint16      port,
                      GError     **error)
{
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self,
                                                    "SELECT id FROM devices WHERE host = ?1 AND port = ?2",
                                                    error);

    if (stmt != NULL)
      {
        sqlite3_bind_text (stmt, 1, host, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int (stmt, 2, port);
        ids = collect_ids (self, stmt, error);
      }
  }
  _pw_store_unlock (self);

  if (ids == NULL)
    return NULL;
  if (ids->len == 0)
    {
      g_autofree char *shown = pw_address_format (host, port);

      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND,
                   _("No printer at %s in the list"), shown);
      return NULL;
    }
  return pw_store_get_device (self, g_array_index (ids, gint64, 0), error);
}

/**
 * pw_store_find_devices_by_host:
 *
 * Returns: (transfer full) (element-type PwDevice): the devices at @host on any port
 */
GPtrArray *
pw_store_find_devices_by_host (PwStore     *self,
                               const char  *host,
                               GError     **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self,
                                                    "SELECT id FROM devices WHERE host = ?1 ORDER BY port",
                                                    error);

    if (stmt != NULL)
      {
        sqlite3_bind_text (stmt, 1, host, -1, SQLITE_TRANSIENT);
        ids = collect_ids (self, stmt, error);
      }
  }
  _pw_store_unlock (self);

  if (ids == NULL)
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      PwDevice *device = pw_store_get_device (self, g_array_index (ids, gint64, i), error);

      if (device == NULL)
        return NULL;
      g_ptr_array_add (devices, device);
    }
  return g_steal_pointer (&devices);
}

guint
pw_store_count_devices (PwStore  *self,
                        GError  **error)
{
  guint count = 0;

  g_return_val_if_fail (PW_IS_STORE (self), 0);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self,
                                                    "SELECT count(*) FROM devices",
                                                    error);

    if (stmt != NULL)
      {
        int rc = sqlite3_step (stmt);

        if (rc == SQLITE_ROW)
          count = (guint) sqlite3_column_int64 (stmt, 0);
        else
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return count;
}


/**
 * pw_store_list_in_scope_ids:
 *
 * Returns: (transfer full) (element-type gint64) (nullable): the ids of
 *   the devices under contract, ascending
 */
GArray *
pw_store_list_in_scope_ids (PwStore  *self,
                            GError  **error)
{
  GArray *ids = NULL;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, "SELECT id FROM devices WHERE in_scope = 1 ORDER BY id",
                                             error);

    if (stmt != NULL)
      ids = collect_ids (self, stmt, error);
  }
  _pw_store_unlock (self);
  return ids;
}

/**
 * pw_store_count_devices_by_scope:
 * @in_scope: (out) (optional): devices under contract
 * @out_of_scope: (out) (optional): devices the admin excluded
 *
 * Both counts come from one query, so they add up to the devices in the
 * store at one moment.
 */
gboolean
pw_store_count_devices_by_scope (PwStore  *self,
                                 guint    *in_scope,
                                 guint    *out_of_scope,
                                 GError  **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self,
                                             "SELECT count(*) FILTER (WHERE in_scope = 1),"
                                             " count(*) FILTER (WHERE in_scope = 0) FROM devices",
                                             error);

    if (stmt != NULL)
      {
        int rc = sqlite3_step (stmt);

        if (rc == SQLITE_ROW)
          {
            if (in_scope != NULL)
              *in_scope = (guint) sqlite3_column_int64 (stmt, 0);
            if (out_of_scope != NULL)
              *out_of_scope = (guint) sqlite3_column_int64 (stmt, 1);
            ok = TRUE;
          }
        else
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return ok;
}
