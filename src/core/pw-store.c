/* pw-store.c: all of Printwatch's state, in one SQLite file.
 *
 * One connection per PwStore, used under the store's mutex, so the store
 * may be called from worker threads. Opening never changes a file that is
 * not ours or is newer than us: the checks read before anything writes.
 * Devices are in pw-store-devices.c, snapshots and history in
 * pw-store-snapshots.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* PRAGMA application_id: "PWTC", so we know our own files (sqlite.org/fileformat2.html). */
#define PW_APPLICATION_ID 0x50575443

struct _PwStore
{
  GObject        parent_instance;

  char          *path;              /* owned */
  GMutex         lock;              /* guards db and stmts */
  sqlite3       *db;                /* owned */
  GHashTable    *stmts;             /* owned, SQL text (static) -> prepared statement */
  gint           forbid_main_loop;  /* atomic: a test's check, see _pw_store_forbid_main_loop () */
};

G_DEFINE_FINAL_TYPE (PwStore, pw_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (pw-store-error-quark, pw_store_error)

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";

/* SQLite says SQLITE_FULL only for ENOSPC; a quota or a file size limit
 * (EDQUOT, EFBIG) comes as an I/O error, though it is the same to the user.
 * Which errno it was, SQLite keeps only for some calls: a failed write
 * leaves it in errno, which nothing has touched since (@saved_errno). */
static void
set_disk_error (GError     **error,
                sqlite3     *db,
                int          rc,
                int          saved_errno,
                const char  *detail)
{
  int system_errno = (rc & 0xff) == SQLITE_FULL ? ENOSPC : db != NULL ? sqlite3_system_errno (db) : 0;

  if (system_errno == 0 && (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE
                            || rc == SQLITE_IOERR_SHMSIZE))
    system_errno = saved_errno;
  switch (system_errno)
    {
    case ENOSPC:
      g_set_error_literal (error, PW_STORE_ERROR, PW_STORE_ERROR_FULL,
                           _("The disk holding the database is full: nothing was written"));
      break;
    case EDQUOT:
    case EFBIG:
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_FULL,
                   _("The database cannot grow any further (%s): nothing was written"),
                   g_strerror (system_errno));
      break;
    default:
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_FAILED,
                   _("The disk holding the database failed to read or write (%s)"), detail);
    }
}

void
_pw_store_set_error (GError  **error,
                     sqlite3  *db,
                     int       rc)
{
  int saved_errno = errno;
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
    case SQLITE_IOERR:
      set_disk_error (error, db, rc, saved_errno, detail);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_CORRUPT,
                   _("The database is damaged (%s)"), detail);
      break;
    case SQLITE_NOTADB:
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_A_DATABASE,
                   _("The file is not a database (%s)"), detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error_literal (error, PW_STORE_ERROR, PW_STORE_ERROR_BUSY,
                           _("The database is locked by another program; try again"));
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_PERMISSION,
                   _("The database cannot be written (%s)"), detail);
      break;
    default:
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_FAILED,
                   _("Database error: %s"), detail);
    }
}

void
_pw_store_set_not_found (GError **error,
                         gint64   device_id)
{
  g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND,
               _("No printer with id %lld"), (long long) device_id);
}

static void
pw_store_finalize (GObject *object)
{
  PwStore *self = PW_STORE (object);

  g_hash_table_destroy (self->stmts);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_mutex_clear (&self->lock);
  g_free (self->path);

  G_OBJECT_CLASS (pw_store_parent_class)->finalize (object);
}

static void
pw_store_class_init (PwStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_store_finalize;
}

static void
pw_store_init (PwStore *self)
{
  g_mutex_init (&self->lock);
  self->stmts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sqlite3_finalize);
}

/* Locking and statements, for this file and pw-store-snapshots.c. */

void
_pw_store_lock (PwStore *self)
{
  if (G_UNLIKELY (g_atomic_int_get (&self->forbid_main_loop))
      && g_main_context_is_owner (g_main_context_default ()))
    g_critical ("The store was used on the main loop");
  g_mutex_lock (&self->lock);
}

/* For the tests of work that must not wait for the store on the main loop: while
 * @forbid, the store says so, as a critical, when the running main loop uses it. */
void
_pw_store_forbid_main_loop (PwStore  *self,
                            gboolean  forbid)
{
  g_atomic_int_set (&self->forbid_main_loop, forbid);
}

void
_pw_store_unlock (PwStore *self)
{
  g_mutex_unlock (&self->lock);
}

sqlite3 *
_pw_store_get_db (PwStore *self)
{
  return self->db;
}

/**
 * _pw_store_stmt:
 * @sql: a static string: its address keys the cache
 *
 * A prepared statement, ready to bind; call with the lock held, and reset it
 * after use (g_autoptr(PwStmt) does).
 */
sqlite3_stmt *
_pw_store_stmt (PwStore     *self,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);

      if (rc != SQLITE_OK)
        {
          _pw_store_set_error (error, self->db, rc);
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_hash_table_insert (self->stmts, (gpointer) sql, stmt);
    }
  return stmt;
}

void
_pw_stmt_reset (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* Runs a statement that returns no rows (or whose rows do not matter). */
gboolean
_pw_store_step_done (PwStore       *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      _pw_store_set_error (error, self->db, rc);
      return FALSE;
    }
  return TRUE;
}

gboolean
_pw_store_exec (PwStore     *self,
                const char  *sql,
                GError     **error)
{
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, sql, error);

  return stmt != NULL && _pw_store_step_done (self, stmt, error);
}

void
_pw_bind_text (sqlite3_stmt *stmt,
               int           column,
               const char   *text)
{
  if (text == NULL || text[0] == '\0')
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

char *
_pw_column_dup (sqlite3_stmt *stmt,
                int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
_pw_store_begin (PwStore  *self,
                 GError  **error)
{
  return _pw_store_exec (self, SQL_BEGIN, error);
}

gboolean
_pw_store_commit (PwStore  *self,
                  GError  **error)
{
  return _pw_store_exec (self, SQL_COMMIT, error);
}

/* Safe to call whether or not a transaction is open (SQLite may have rolled back already). */
void
_pw_store_rollback (PwStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs @func inside one write transaction under the lock. */
gboolean
_pw_store_in_transaction (PwStore           *self,
                          PwStoreWriteFunc   func,
                          gpointer           data,
                          GError           **error)
{
  gboolean ok = FALSE;

  _pw_store_lock (self);
  if (_pw_store_begin (self, error))
    {
      ok = func (self, data, error) && _pw_store_commit (self, error);
      if (!ok)
        _pw_store_rollback (self);
    }
  _pw_store_unlock (self);
  return ok;
}

gint64
_pw_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Paths */

/**
 * pw_store_default_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/printwatch/printwatch.db
 */
char *
pw_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "printwatch", "printwatch.db", NULL);
}

/**
 * pw_store_resolve_path:
 * @explicit_path: (nullable): a path the user gave, e.g. with --database
 *
 * Returns: (transfer full): @explicit_path, else $PRINTWATCH_DB, else the default
 */
char *
pw_store_resolve_path (const char *explicit_path)
{
  const char *env = g_getenv ("PRINTWATCH_DB");

  if (explicit_path != NULL && explicit_path[0] != '\0')
    return g_strdup (explicit_path);
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return pw_store_default_path ();
}

/**
 * pw_store_ensure_default_dir:
 *
 * Creates the folder of @path when @path is the default location. A path the
 * user chose is never created for them: a typo should not scatter databases.
 */
gboolean
pw_store_ensure_default_dir (const char  *path,
                             GError     **error)
{
  g_autofree char *default_path = pw_store_default_path ();
  g_autofree char *dir = NULL;

  if (g_strcmp0 (path, default_path) != 0)
    return TRUE;
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, PW_STORE_ERROR,
                   saved == EACCES || saved == EROFS || saved == EPERM
                     ? PW_STORE_ERROR_PERMISSION : PW_STORE_ERROR_NO_DIRECTORY,
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

guint
pw_store_schema_version (void)
{
  return _pw_store_schema_version ();
}

/* Opening */

static gboolean
check_location (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_A_DATABASE,
                   _("Cannot open the database “%s”: it is a folder"), path);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_access (path, R_OK | W_OK) != 0)
        {
          int saved = errno;

          g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_PERMISSION,
                       _("Cannot open the database “%s”: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NO_DIRECTORY,
                   _("Cannot create the database “%s”: the folder “%s” does not exist"),
                   path, dir);
      return FALSE;
    }
  /* The journal and WAL files live beside the database, so the folder must be writable. */
  if (g_access (dir, W_OK | X_OK) != 0)
    {
      int saved = errno;

      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_PERMISSION,
                   _("Cannot create the database “%s”: the folder “%s” is not writable (%s)"),
                   path, dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *value,
           int         *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  *rc_out = rc;
  return rc == SQLITE_OK;
}

/* Reads, never writes: is this a database we may open and migrate? */
static gboolean
check_identity (sqlite3     *db,
                const char  *path,
                guint       *version_out,
                GError     **error)
{
  gint64 version = 0, app_id = 0, n_objects = 0;
  int rc = SQLITE_OK;

  if (!query_int (db, "PRAGMA user_version", &version, &rc) ||
      !query_int (db, "PRAGMA application_id", &app_id, &rc) ||
      !query_int (db, "SELECT count(*) FROM sqlite_schema", &n_objects, &rc))
    {
      int code = (rc & 0xff) == SQLITE_NOTADB ? PW_STORE_ERROR_NOT_A_DATABASE
               : (rc & 0xff) == SQLITE_CORRUPT ? PW_STORE_ERROR_CORRUPT
               : (rc & 0xff) == SQLITE_BUSY ? PW_STORE_ERROR_BUSY
               : PW_STORE_ERROR_FAILED;

      g_set_error (error, PW_STORE_ERROR, code,
                   code == PW_STORE_ERROR_NOT_A_DATABASE
                     ? _("“%s” is not a Printwatch database (%s); it was left untouched")
                     : code == PW_STORE_ERROR_CORRUPT
                     ? _("The database “%s” is damaged (%s); it was left untouched. "
                         "Restore a backup or move it aside to start afresh")
                     : _("Cannot read the database “%s” (%s)"),
                   path, sqlite3_errmsg (db));
      return FALSE;
    }

  if ((app_id != 0 && app_id != PW_APPLICATION_ID) ||
      (app_id == 0 && (version != 0 || n_objects != 0)))
    {
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is an SQLite database of another program, not Printwatch’s; "
                     "it was left untouched"), path);
      return FALSE;
    }
  if (version > _pw_store_schema_version ())
    {
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer Printwatch (schema %u; this "
                     "version knows up to %u); it was left untouched. Update Printwatch to open it"),
                   path, (guint) version, _pw_store_schema_version ());
      return FALSE;
    }
  *version_out = (guint) version;
  return TRUE;
}

static gboolean
configure_and_migrate (PwStore  *self,
                       guint     version,
                       GError  **error)
{
  g_autofree char *set_app_id = g_strdup_printf ("PRAGMA application_id = %d", PW_APPLICATION_ID);
  gint64 current = 0;
  int rc;

  sqlite3_busy_timeout (self->db, 5000);
  /* WAL: readers (the GUI, the CLI) never wait for the poller's writes.
   * synchronous=NORMAL: a killed process loses nothing committed. */
  rc = sqlite3_exec (self->db,
                     "PRAGMA journal_mode = WAL;"
                     "PRAGMA synchronous = NORMAL;"
                     "PRAGMA foreign_keys = ON;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _pw_store_set_error (error, self->db, rc);
      return FALSE;
    }

  if (version == _pw_store_schema_version ())
    return TRUE;

  if (!_pw_store_begin (self, error))
    return FALSE;
  /* Another process may have migrated it between our check and our lock. */
  if (!query_int (self->db, "PRAGMA user_version", &current, &rc))
    {
      _pw_store_set_error (error, self->db, rc);
      _pw_store_rollback (self);
      return FALSE;
    }
  if ((guint64) current >= _pw_store_schema_version ())
    {
      _pw_store_rollback (self);
      return TRUE;
    }
  rc = sqlite3_exec (self->db, set_app_id, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    _pw_store_set_error (error, self->db, rc);
  if (rc != SQLITE_OK || !_pw_store_migrate (self->db, (guint) current, error) ||
      !_pw_store_commit (self, error))
    {
      _pw_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * pw_store_open:
 * @path: the database file; created (with its schema) if it does not exist
 *
 * Opens the database and brings its schema up to date. A file that is not
 * SQLite, belongs to another program, is damaged, or was written by a newer
 * Printwatch is refused with a clear error and left exactly as it was.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
PwStore *
pw_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(PwStore) self = NULL;
  g_autoptr(GError) local_error = NULL;
  guint version = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!check_location (path, error))
    return NULL;

  self = g_object_new (PW_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                        SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      _pw_store_set_error (&local_error, self->db, rc);
      g_set_error (error, PW_STORE_ERROR, local_error->code,
                   _("Cannot open the database “%s”: %s"), path, local_error->message);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);

  if (!check_identity (self->db, path, &version, error))
    return NULL;
  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_PERMISSION,
                   _("Cannot open the database “%s”: it is read-only"), path);
      return NULL;
    }
  if (!configure_and_migrate (self, version, &local_error))
    {
      g_set_error (error, PW_STORE_ERROR, local_error->code,
                   _("Cannot prepare the database “%s”: %s"), path, local_error->message);
      return NULL;
    }

  g_debug ("Opened %s (schema %u)", path, _pw_store_schema_version ());
  return g_steal_pointer (&self);
}

static void
open_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  PwStore *store = pw_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
pw_store_open_async (const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, pw_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_worker);
}

PwStore *
pw_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
pw_store_get_path (PwStore *self)
{
  g_return_val_if_fail (PW_IS_STORE (self), NULL);
  return self->path;
}

/* Agent state: small key/value facts (last sync times and the like). */

static const char SQL_SET_STATE[] =
  "INSERT INTO agent_state (key, value) VALUES (?1, ?2) "
  "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
static const char SQL_DELETE_STATE[] = "DELETE FROM agent_state WHERE key = ?1";

/**
 * pw_store_get_state:
 *
 * Returns: (transfer full) (nullable): the value, or %NULL if unset (no error)
 *   or on failure (@error set)
 */
char *
pw_store_get_state (PwStore     *self,
                    const char  *key,
                    GError     **error)
{
  char *value = NULL;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, "SELECT value FROM agent_state WHERE key = ?1",
                                             error);

    if (stmt != NULL)
      {
        int rc;

        sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          value = _pw_column_dup (stmt, 0);
        else if (rc != SQLITE_DONE)
          _pw_store_set_error (error, self->db, rc);
      }
  }
  _pw_store_unlock (self);
  return value;
}

/* pw_store_set_state () with the lock held, as in a transaction of the store's own. */
gboolean
_pw_store_write_state (PwStore     *self,
                       const char  *key,
                       const char  *value,
                       GError     **error)
{
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, value != NULL ? SQL_SET_STATE : SQL_DELETE_STATE, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return _pw_store_step_done (self, stmt, error);
}

/**
 * pw_store_set_state:
 * @value: (nullable): the new value, or %NULL to forget the key
 */
gboolean
pw_store_set_state (PwStore     *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  _pw_store_lock (self);
  ok = _pw_store_write_state (self, key, value, error);
  _pw_store_unlock (self);
  return ok;
}
