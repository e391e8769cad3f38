/* pw-store-private.h: what the store's files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "pw-store.h"

G_BEGIN_DECLS

/* A cached prepared statement; the cleanup resets it for the next user. */
typedef sqlite3_stmt PwStmt;
void _pw_stmt_reset (sqlite3_stmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwStmt, _pw_stmt_reset)

guint         _pw_store_schema_version (void);
gboolean      _pw_store_migrate        (sqlite3       *db,
                                        guint          from,
                                        GError       **error);
void          _pw_store_set_error      (GError       **error,
                                        sqlite3       *db,
                                        int            rc);
void          _pw_store_set_not_found  (GError       **error,
                                        gint64         device_id);
void          _pw_store_lock           (PwStore       *self);
void          _pw_store_unlock         (PwStore       *self);
void          _pw_store_forbid_main_loop (PwStore     *self,
                                          gboolean     forbid);
sqlite3      *_pw_store_get_db         (PwStore       *self);
sqlite3_stmt *_pw_store_stmt           (PwStore       *self,
                                        const char    *sql,
                                        GError       **error);
gboolean      _pw_store_step_done      (PwStore       *self,
                                        sqlite3_stmt  *stmt,
                                        GError       **error);
gboolean      _pw_store_exec           (PwStore       *self,
                                        const char    *sql,
                                        GError       **error);
void          _pw_bind_text            (sqlite3_stmt  *stmt,
                                        int            column,
                                        const char    *text);
char         *_pw_column_dup           (sqlite3_stmt  *stmt,
                                        int            column);
gboolean      _pw_store_begin          (PwStore       *self,
                                        GError       **error);
gboolean      _pw_store_commit         (PwStore       *self,
                                        GError       **error);
void          _pw_store_rollback       (PwStore       *self);
typedef gboolean (*PwStoreWriteFunc) (PwStore   *self,
                                      gpointer   data,
                                      GError   **error);
gboolean      _pw_store_in_transaction (PwStore           *self,
                                        PwStoreWriteFunc   func,
                                        gpointer           data,
                                        GError           **error);
gboolean      _pw_store_write_state    (PwStore               *self,
                                        const char            *key,
                                        const char            *value,
                                        GError               **error);
gboolean      _pw_store_log_add        (PwStore               *self,
                                        const PwSyncLogEntry  *entry,
                                        GError               **error);
gint64        _pw_store_now            (void);
GPtrArray    *_pw_store_load_devices_range (PwStore  *self,
                                            gint64    first_id,
                                            gint64    last_id,
                                            GError  **error);
gint64        _pw_store_get_discovery_data_size (PwStore  *self,
                                                 gboolean  use_dbstat,
                                                 GError  **error);

G_END_DECLS
