/* pw-store-outbox.c: payloads waiting for the server, and the sync log.
 *
 * A payload is committed here before its first upload attempt and leaves
 * only when the server acknowledged it; the acknowledgement and its log
 * entry are one transaction, so a crash between them cannot lose the one
 * or keep the other. The parts of a day's batch are committed together:
 * a crash leaves all of them or none; each is then sent and acknowledged
 * on its own. A sync lists the outbox without the payloads and loads each
 * one only to send it: days of a large fleet's parts waiting are never in
 * memory at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"

#include <glib/gi18n-lib.h>


G_DEFINE_BOXED_TYPE (PwOutboxItem, pw_outbox_item, pw_outbox_item_copy, pw_outbox_item_free)
G_DEFINE_BOXED_TYPE (PwSyncLogEntry, pw_sync_log_entry, pw_sync_log_entry_copy, pw_sync_log_entry_free)

static const char SQL_OUTBOX_ADD[] =
  "INSERT INTO outbox (idempotency_key, created_at, payload, next_attempt_at, batch_id, batch_index, batch_count, "
  "devices) VALUES (?1, ?2, ?3, ?2, ?4, ?5, ?6, ?7)";
/* The payload is the last column: the brief lists leave it out. */
#define OUTBOX_COLUMNS \
  "SELECT id, idempotency_key, created_at, attempts, last_attempt_at, next_attempt_at, last_error, batch_id, " \
  "batch_index, batch_count, devices, length(payload)"
#define OUTBOX_DUE   " FROM outbox WHERE coalesce(next_attempt_at, 0) <= ?1 ORDER BY created_at, id"
#define OUTBOX_ALL   " FROM outbox ORDER BY created_at, id"
static const char SQL_OUTBOX_DUE[] = OUTBOX_COLUMNS ", payload" OUTBOX_DUE;
static const char SQL_OUTBOX_ALL[] = OUTBOX_COLUMNS ", payload" OUTBOX_ALL;
static const char SQL_OUTBOX_DUE_BRIEF[] = OUTBOX_COLUMNS OUTBOX_DUE;
static const char SQL_OUTBOX_ALL_BRIEF[] = OUTBOX_COLUMNS OUTBOX_ALL;
static const char SQL_OUTBOX_PAYLOAD[] = "SELECT payload FROM outbox WHERE id = ?1";
static const char SQL_OUTBOX_SUMMARY[] = "SELECT count(*), min(coalesce(next_attempt_at, 0)) FROM outbox";
static const char SQL_OUTBOX_ATTEMPT[] =
  "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?2, next_attempt_at = ?3, last_error = ?4 "
  "WHERE id = ?1";
static const char SQL_OUTBOX_REMOVE[] = "DELETE FROM outbox WHERE id = ?1";
static const char SQL_LOG_ADD[] =
  "INSERT INTO sync_log (at, event, ok, idempotency_key, http_status, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_LOG_LIST[] =
  "SELECT at, event, ok, idempotency_key, http_status, message FROM sync_log ORDER BY at DESC, id DESC LIMIT ?1";
static const char SQL_LOG_PERIOD[] =
  "SELECT at, event, ok, idempotency_key, http_status, message FROM sync_log "
  "WHERE at >= ?1 AND at < ?2 ORDER BY at, id";

PwOutboxItem *
pw_outbox_item_copy (const PwOutboxItem *item)
{
  PwOutboxItem *copy = g_memdup2 (item, sizeof *item);

  copy->idempotency_key = g_strdup (item->idempotency_key);
  copy->payload = item->payload != NULL ? g_bytes_ref (item->payload) : NULL;
  copy->last_error = g_strdup (item->last_error);
  copy->batch_id = g_strdup (item->batch_id);
  return copy;
}

void
pw_outbox_item_free (PwOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->idempotency_key);
  g_clear_pointer (&item->payload, g_bytes_unref);
  g_free (item->last_error);
  g_free (item->batch_id);
  g_free (item);
}

PwSyncLogEntry *
pw_sync_log_entry_copy (const PwSyncLogEntry *entry)
{
  PwSyncLogEntry *copy = g_memdup2 (entry, sizeof *entry);

  copy->event = g_strdup (entry->event);
  copy->idempotency_key = g_strdup (entry->idempotency_key);
  copy->message = g_strdup (entry->message);
  return copy;
}

void
pw_sync_log_entry_free (PwSyncLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->event);
  g_free (entry->idempotency_key);
  g_free (entry->message);
  g_free (entry);
}

static void
bind_nullable_int64 (sqlite3_stmt *stmt,
                     int           column,
                     gint64        value)
{
  if (value > 0)
    sqlite3_bind_int64 (stmt, column, value);
  else
    sqlite3_bind_null (stmt, column);
}

/* Adds @entry to the sync log; inside the caller's transaction, under the lock. */
gboolean
_pw_store_log_add (PwStore               *self,
                   const PwSyncLogEntry  *entry,
                   GError               **error)
{
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_LOG_ADD, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->at);
  sqlite3_bind_text (stmt, 2, entry->event, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, entry->ok ? 1 : 0);
  _pw_bind_text (stmt, 4, entry->idempotency_key);
  bind_nullable_int64 (stmt, 5, entry->http_status);
  _pw_bind_text (stmt, 6, entry->message);
  return _pw_store_step_done (self, stmt, error);
}

static gboolean
add_write (PwStore  *self,
           gpointer  data,
           GError  **error)
{
  GPtrArray *items = data;
  gint64 queued_at = 0;

  for (guint i = 0; i < items->len; i++)
    {
      PwOutboxItem *item = items->pdata[i];
      g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_OUTBOX_ADD, error);
      PwSyncLogEntry entry = { item->created_at, (char *) "queued", TRUE, item->idempotency_key, 0, NULL };
      gsize len = 0;
      gconstpointer bytes = g_bytes_get_data (item->payload, &len);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, item->idempotency_key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, item->created_at);
      sqlite3_bind_blob64 (stmt, 3, bytes != NULL ? bytes : "", len, SQLITE_STATIC);
      _pw_bind_text (stmt, 4, item->batch_id);
      sqlite3_bind_int (stmt, 5, (int) item->batch_index);
      sqlite3_bind_int (stmt, 6, (int) MAX (item->batch_count, 1));
      bind_nullable_int64 (stmt, 7, item->n_devices);
      if (!_pw_store_step_done (self, stmt, error))
        return FALSE;
      item->id = sqlite3_last_insert_rowid (_pw_store_get_db (self));
      if (!_pw_store_log_add (self, &entry, error))
        return FALSE;
      queued_at = MAX (queued_at, item->created_at);
    }
  /* With the payloads, so that the scheduler can tell after a crash
   * whether the slot that fired got its payload (pw-scheduler.c). */
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, queued_at);

    return _pw_store_write_state (self, PW_STORE_STATE_LAST_QUEUED, text, error);
  }
}

/**
 * pw_store_outbox_add_batch:
 * @items: (element-type PwOutboxItem): the payloads, each with its
 *   idempotency key (unique), creation time (also when its first attempt
 *   is due), payload and, for the parts of a batch, the batch's id, its
 *   index and count and the devices in it; each gets its outbox id
 *
 * Commits the payloads to the outbox in one transaction (and "queued" for
 * each to the sync log): all of them or, on failure, none.
 */
gboolean
pw_store_outbox_add_batch (PwStore    *self,
                           GPtrArray  *items,
                           GError    **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  for (guint i = 0; i < items->len; i++)
    {
      const PwOutboxItem *item = items->pdata[i];

      g_return_val_if_fail (item->idempotency_key != NULL && item->payload != NULL, FALSE);
      g_return_val_if_fail (item->batch_count <= 1 || item->batch_index < item->batch_count, FALSE);
    }

  if (!_pw_store_in_transaction (self, add_write, items, error))
    {
      for (guint i = 0; i < items->len; i++)
        ((PwOutboxItem *) items->pdata[i])->id = 0;
      return FALSE;
    }
  for (guint i = 0; i < items->len; i++)
    g_debug ("Committed payload %s to the outbox", ((PwOutboxItem *) items->pdata[i])->idempotency_key);
  return TRUE;
}

/**
 * pw_store_outbox_add:
 * @idempotency_key: the payload's id, unique
 * @payload: what will be sent, byte for byte
 * @created_at: unix seconds; also when its first attempt is due
 *
 * Commits a payload that is not in parts to the outbox (and "queued" to
 * the sync log).
 *
 * Returns: its outbox id, or 0 with @error set
 */
gint64
pw_store_outbox_add (PwStore     *self,
                     const char  *idempotency_key,
                     GBytes      *payload,
                     gint64       created_at,
                     GError     **error)
{
  PwOutboxItem item = { .idempotency_key = (char *) idempotency_key, .created_at = created_at,
                        .payload = payload, .batch_count = 1 };
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  g_return_val_if_fail (PW_IS_STORE (self), 0);
  g_return_val_if_fail (idempotency_key != NULL, 0);
  g_return_val_if_fail (payload != NULL, 0);

  g_ptr_array_add (items, &item);
  return pw_store_outbox_add_batch (self, items, error) ? item.id : 0;
}

static GPtrArray *
list_items (PwStore   *self,
            gint64     due_at,
            gboolean   with_payloads,
            GError   **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_outbox_item_free);
  const char *sql = with_payloads ? (due_at > 0 ? SQL_OUTBOX_DUE : SQL_OUTBOX_ALL)
                                  : (due_at > 0 ? SQL_OUTBOX_DUE_BRIEF : SQL_OUTBOX_ALL_BRIEF);
  int rc = SQLITE_ERROR;

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, sql, error);

    if (stmt != NULL)
      {
        if (due_at > 0)
          sqlite3_bind_int64 (stmt, 1, due_at);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            PwOutboxItem *item = g_new0 (PwOutboxItem, 1);

            item->id = sqlite3_column_int64 (stmt, 0);
            item->idempotency_key = _pw_column_dup (stmt, 1);
            item->created_at = sqlite3_column_int64 (stmt, 2);
            item->attempts = sqlite3_column_int (stmt, 3);
            item->last_attempt_at = sqlite3_column_int64 (stmt, 4);
            item->next_attempt_at = sqlite3_column_int64 (stmt, 5);
            item->last_error = _pw_column_dup (stmt, 6);
            item->batch_id = _pw_column_dup (stmt, 7);
            item->batch_index = (guint) MAX (sqlite3_column_int (stmt, 8), 0);
            item->batch_count = (guint) MAX (sqlite3_column_int (stmt, 9), 1);
            item->n_devices = (guint) MAX (sqlite3_column_int (stmt, 10), 0);
            item->payload_size = (gsize) MAX (sqlite3_column_int64 (stmt, 11), 0);
            if (with_payloads)
              item->payload = g_bytes_new (sqlite3_column_blob (stmt, 12), sqlite3_column_bytes (stmt, 12));
            g_ptr_array_add (items, item);
          }
        if (rc != SQLITE_DONE)
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return rc == SQLITE_DONE ? g_steal_pointer (&items) : NULL;
}

/**
 * pw_store_outbox_list:
 * @due_at: only payloads whose next attempt is due by then (unix seconds),
 *   or 0 for all
 *
 * Returns: (transfer full) (element-type PwOutboxItem) (nullable): the
 *   payloads, oldest first (the parts of a batch in their order)
 */
GPtrArray *
pw_store_outbox_list (PwStore  *self,
                      gint64    due_at,
                      GError  **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  return list_items (self, due_at, TRUE, error);
}

/**
 * pw_store_outbox_list_brief:
 * @due_at: as for pw_store_outbox_list ()
 *
 * As pw_store_outbox_list (), without the payloads themselves (each
 * item's payload is %NULL, its payload_size set): what a sync goes
 * through, loading each payload with pw_store_outbox_get_payload () when
 * it sends it.
 *
 * Returns: (transfer full) (element-type PwOutboxItem) (nullable): the
 *   payloads, oldest first
 */
GPtrArray *
pw_store_outbox_list_brief (PwStore  *self,
                            gint64    due_at,
                            GError  **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  return list_items (self, due_at, FALSE, error);
}

/**
 * pw_store_outbox_get_payload:
 * @id: the outbox item
 *
 * Returns: (transfer full) (nullable): its payload, byte for byte; %NULL
 *   with %PW_STORE_ERROR_NOT_FOUND when it is no longer in the outbox
 */
GBytes *
pw_store_outbox_get_payload (PwStore  *self,
                             gint64    id,
                             GError  **error)
{
  GBytes *payload = NULL;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_OUTBOX_PAYLOAD, error);
    int rc;

    if (stmt != NULL)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          payload = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
        else if (rc == SQLITE_DONE)
          g_set_error (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND,
                       _("The payload %lld is no longer in the outbox"), (long long) id);
        else
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return payload;
}

/**
 * pw_store_outbox_get_summary:
 * @waiting: (out) (optional): the payloads in the outbox
 * @next_due: (out) (optional): when the soonest of them is due (unix
 *   seconds), or 0 when none waits
 */
gboolean
pw_store_outbox_get_summary (PwStore  *self,
                             guint    *waiting,
                             gint64   *next_due,
                             GError  **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_OUTBOX_SUMMARY, error);
    int rc;

    if (stmt != NULL)
      {
        rc = sqlite3_step (stmt);
        ok = rc == SQLITE_ROW;
        if (ok)
          {
            if (waiting != NULL)
              *waiting = (guint) sqlite3_column_int64 (stmt, 0);
            if (next_due != NULL)
              *next_due = sqlite3_column_int64 (stmt, 1);
          }
        else
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return ok;
}

typedef struct {
  gint64                 id;
  gint64                 next_attempt_at;  /* failed: when to try again */
  gboolean               acknowledged;
  const PwSyncLogEntry  *entry;
} AttemptData;

static gboolean
attempt_write (PwStore  *self,
               gpointer  data,
               GError  **error)
{
  AttemptData *attempt = data;
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, attempt->acknowledged ? SQL_OUTBOX_REMOVE : SQL_OUTBOX_ATTEMPT,
                                           error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, attempt->id);
  if (!attempt->acknowledged)
    {
      sqlite3_bind_int64 (stmt, 2, attempt->entry->at);
      sqlite3_bind_int64 (stmt, 3, attempt->next_attempt_at);
      _pw_bind_text (stmt, 4, attempt->entry->message);
    }
  return _pw_store_step_done (self, stmt, error) && _pw_store_log_add (self, attempt->entry, error);
}

/**
 * pw_store_outbox_record_attempt:
 * @id: the outbox item
 * @acknowledged: the server acknowledged it: it leaves the outbox
 * @next_attempt_at: when not, when to try again (unix seconds)
 * @entry: what happened, for the sync log (its message is also kept as
 *   the item's last error when not acknowledged)
 *
 * Records one upload attempt, and its log entry, in one transaction.
 */
gboolean
pw_store_outbox_record_attempt (PwStore               *self,
                                gint64                 id,
                                gboolean               acknowledged,
                                gint64                 next_attempt_at,
                                const PwSyncLogEntry  *entry,
                                GError               **error)
{
  AttemptData attempt = { id, next_attempt_at, acknowledged, entry };

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->event != NULL, FALSE);

  return _pw_store_in_transaction (self, attempt_write, &attempt, error);
}

static gboolean
log_write (PwStore  *self,
           gpointer  data,
           GError  **error)
{
  return _pw_store_log_add (self, data, error);
}

/**
 * pw_store_sync_log_add:
 * @entry: the event ("poll", "queued", "upload", "error", …) and its outcome
 */
gboolean
pw_store_sync_log_add (PwStore               *self,
                       const PwSyncLogEntry  *entry,
                       GError               **error)
{
  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->event != NULL, FALSE);

  return _pw_store_in_transaction (self, log_write, (gpointer) entry, error);
}

/**
 * pw_store_sync_log_list:
 * @limit: the most entries returned, when @from and @to are 0
 * @from: (optional): first second of a period, included, or 0
 * @to: end of the period, excluded, or 0
 *
 * Returns: (transfer full) (element-type PwSyncLogEntry) (nullable): the
 *   newest @limit entries, newest first; or those of the period, oldest first
 */
GPtrArray *
pw_store_sync_log_list (PwStore  *self,
                        guint     limit,
                        gint64    from,
                        gint64    to,
                        GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_sync_log_entry_free);
  gboolean period = from != 0 || to != 0;
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, period ? SQL_LOG_PERIOD : SQL_LOG_LIST, error);

    if (stmt != NULL)
      {
        if (period)
          {
            sqlite3_bind_int64 (stmt, 1, from);
            sqlite3_bind_int64 (stmt, 2, to != 0 ? to : G_MAXINT64);
          }
        else
          sqlite3_bind_int64 (stmt, 1, limit);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            PwSyncLogEntry *entry = g_new0 (PwSyncLogEntry, 1);

            entry->at = sqlite3_column_int64 (stmt, 0);
            entry->event = _pw_column_dup (stmt, 1);
            entry->ok = sqlite3_column_int (stmt, 2) != 0;
            entry->idempotency_key = _pw_column_dup (stmt, 3);
            entry->http_status = sqlite3_column_int (stmt, 4);
            entry->message = _pw_column_dup (stmt, 5);
            g_ptr_array_add (entries, entry);
          }
        if (rc != SQLITE_DONE)
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return rc == SQLITE_DONE ? g_steal_pointer (&entries) : NULL;
}
