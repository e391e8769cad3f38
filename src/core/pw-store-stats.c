/* pw-store-stats.c: how much room the store's data takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"

/* Discovery data: what a sweep finds and what it needs to ask (not the
 * history of polls, nor the outbox). */
#define DISCOVERY_TABLES "('devices', 'credential_profiles')"

/* Every b-tree of those tables: the tables and their indexes, automatic ones too. */
static const char SQL_DBSTAT[] =
  "SELECT total(pgsize) FROM dbstat WHERE aggregate = 1 AND name IN "
  "(SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') AND tbl_name IN "
  DISCOVERY_TABLES ")";

static const char SQL_BTREES[] =
  "SELECT type, name, tbl_name FROM sqlite_schema "
  "WHERE type IN ('table', 'index') AND tbl_name IN " DISCOVERY_TABLES;

/* The columns a b-tree stores (an index also keeps the rowid, counted as
 * for a table). An expression column of an index has no name; it is left out. */
static const char SQL_TABLE_COLUMNS[] = "SELECT name FROM pragma_table_info (?1)";
static const char SQL_INDEX_COLUMNS[] =
  "SELECT name FROM pragma_index_info (?1) WHERE name IS NOT NULL";

static void
append_identifier (GString    *sql,
                   const char *name)
{
  g_string_append_c (sql, '"');
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (sql, '"');
      g_string_append_c (sql, *p);
    }
  g_string_append_c (sql, '"');
}

static gboolean
query_int64 (sqlite3     *db,
             const char  *sql,
             gint64      *value,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = (gint64) sqlite3_column_double (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    _pw_store_set_error (error, db, rc);
  return rc == SQLITE_OK;
}

/* Runs @sql with ?1 bound to @name: every column of every row, in order. */
static GPtrArray *
query_names (sqlite3     *db,
             const char  *sql,
             const char  *name,
             GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK && name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_ptr_array_add (names, _pw_column_dup (stmt, i));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _pw_store_set_error (error, db, rc);
      return NULL;
    }
  return g_steal_pointer (&names);
}

/* Bytes one b-tree's rows need: the octets of each value (an integer counts
 * as its decimal digits, close to its varint), a rowid, and the record and
 * cell headers (about one byte a column and four a row). */
static gboolean
estimate_btree (sqlite3     *db,
                const char  *table,
                GPtrArray   *columns,
                gint64      *bytes,
                GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT total(12");

  for (guint i = 0; i < columns->len; i++)
    {
      g_string_append (sql, " + 1 + ifnull(length(CAST(");
      append_identifier (sql, g_ptr_array_index (columns, i));
      g_string_append (sql, " AS BLOB)), 0)");
    }
  g_string_append (sql, ") FROM ");
  append_identifier (sql, table);
  return query_int64 (db, sql->str, bytes, error);
}

/* Without dbstat: every b-tree's row bytes, over a page fill of 3/4 (what
 * random inserts leave), rounded up to whole pages, at least one page each;
 * never more than the pages in use. An estimate: tests/test-site-info.c checks
 * it stays within a factor of two of dbstat's figure. */
static gint64
estimate_size (PwStore  *self,
               GError  **error)
{
  sqlite3 *db = _pw_store_get_db (self);
  g_autoptr(GPtrArray) btrees = NULL;
  gint64 page_size = 0, page_count = 0, freelist = 0, pages = 0;

  if (!query_int64 (db, "PRAGMA page_size", &page_size, error) ||
      !query_int64 (db, "PRAGMA page_count", &page_count, error) ||
      !query_int64 (db, "PRAGMA freelist_count", &freelist, error))
    return -1;
  /* Triples: type, name, table. */
  btrees = query_names (db, SQL_BTREES, NULL, error);
  if (btrees == NULL)
    return -1;
  for (guint i = 0; i + 2 < btrees->len; i += 3)
    {
      const char *type = g_ptr_array_index (btrees, i);
      const char *name = g_ptr_array_index (btrees, i + 1);
      const char *table = g_ptr_array_index (btrees, i + 2);
      g_autoptr(GPtrArray) columns = NULL;
      gint64 bytes = 0;

      columns = query_names (db, g_str_equal (type, "table") ? SQL_TABLE_COLUMNS : SQL_INDEX_COLUMNS,
                             name, error);
      if (columns == NULL || !estimate_btree (db, table, columns, &bytes, error))
        return -1;
      pages += MAX (1, (bytes * 4 / 3 + page_size - 1) / page_size);
    }
  return MIN (pages, page_count - freelist) * page_size;
}

/* Test hook: @use_dbstat FALSE takes the estimate even where dbstat exists. */
gint64
_pw_store_get_discovery_data_size (PwStore   *self,
                                   gboolean   use_dbstat,
                                   GError   **error)
{
  gint64 size = -1;

  _pw_store_lock (self);
  if (use_dbstat)
    {
      g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_DBSTAT, error);

      if (stmt != NULL)
        {
          int rc = sqlite3_step (stmt);

          if (rc == SQLITE_ROW)
            size = (gint64) sqlite3_column_double (stmt, 0);
          else
            _pw_store_set_error (error, _pw_store_get_db (self), rc);
        }
    }
  else
    size = estimate_size (self, error);
  _pw_store_unlock (self);
  return size;
}

/**
 * pw_store_get_discovery_data_size:
 *
 * The bytes the discovery tables (devices, credential profiles) and their
 * indexes take in the database file: exact where SQLite has the dbstat table
 * (SQLITE_ENABLE_DBSTAT_VTAB, as Debian's does), else an estimate from their
 * rows and the page size.
 *
 * Returns: the size in bytes, or -1 with @error set
 */
gint64
pw_store_get_discovery_data_size (PwStore  *self,
                                  GError  **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), -1);

  return _pw_store_get_discovery_data_size (self, sqlite3_compileoption_used ("ENABLE_DBSTAT_VTAB"),
                                            error);
}
