/* pw-store-notifications.c: conditions worth an e-mail, and the mails
 * waiting for the mail server.
 *
 * A condition (a low toner, a jam, a printer that stopped answering) is
 * one row from the check that first sees it until the first that no
 * longer does; it is told at most once, so a toner that stays low sends
 * one e-mail, and one more only after it was replaced and ran low again.
 *
 * A mail is committed to the queue, in the same transaction that marks its
 * condition told, before its first attempt; it leaves only when the mail
 * server accepted it, in the same transaction as its log entry (as the
 * upload outbox does). Killed at any point, nothing is told twice or lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-store"

#include "config.h"

#include "pw-store-private.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (PwNotification, pw_notification, pw_notification_copy, pw_notification_free)
G_DEFINE_BOXED_TYPE (PwQueuedMail, pw_queued_mail, pw_queued_mail_copy, pw_queued_mail_free)

#define NOTIFICATION_COLS "id, device_id, kind, key, first_seen, last_seen, notified_at, cleared_at "

static const char SQL_OPEN_OF_DEVICE[] =
  "SELECT " NOTIFICATION_COLS "FROM notifications "
  "WHERE coalesce (device_id, 0) = ?1 AND cleared_at IS NULL ORDER BY id";
static const char SQL_CLEAR[] = "UPDATE notifications SET cleared_at = ?2 WHERE id = ?1";
static const char SQL_SEEN[] =
  "UPDATE notifications SET last_seen = ?4 "
  "WHERE coalesce (device_id, 0) = ?1 AND kind = ?2 AND key = ?3 AND cleared_at IS NULL";
static const char SQL_INSERT[] =
  "INSERT INTO notifications (device_id, kind, key, first_seen, last_seen) "
  "VALUES (nullif (?1, 0), ?2, ?3, ?4, ?5)";
static const char SQL_LIST_OPEN[] =
  "SELECT " NOTIFICATION_COLS "FROM notifications WHERE cleared_at IS NULL ORDER BY first_seen, id";
static const char SQL_LIST_ALL[] =
  "SELECT " NOTIFICATION_COLS "FROM notifications ORDER BY first_seen, id";
/* The first snapshot of the run that ends with the latest: since when the
 * condition has held without a break. */
static const char SQL_STATUS_SINCE[] =
  "SELECT min (taken_at) FROM snapshots WHERE device_id = ?1 AND taken_at > coalesce ("
  "  (SELECT max (taken_at) FROM snapshots WHERE device_id = ?1 "
  "   AND NOT ((error_state & ?2) != 0 OR device_status = ?3)), -1)";

#define MAIL_COLS \
  "SELECT id, notification_id, created_at, sender, recipients, subject, message, attempts, last_attempt_at, " \
  "next_attempt_at, last_error FROM mail_queue "

static const char SQL_MAIL_ADD[] =
  "INSERT INTO mail_queue (notification_id, created_at, sender, recipients, subject, message, next_attempt_at) "
  "VALUES (nullif (?1, 0), ?2, ?3, ?4, ?5, ?6, ?2)";
static const char SQL_MARK_TOLD[] =
  "UPDATE notifications SET notified_at = ?2 WHERE id = ?1 AND notified_at IS NULL";
static const char SQL_MAIL_DUE[] = MAIL_COLS "WHERE next_attempt_at <= ?1 ORDER BY created_at, id";
static const char SQL_MAIL_ALL[] = MAIL_COLS "ORDER BY created_at, id";
static const char SQL_MAIL_ATTEMPT[] =
  "UPDATE mail_queue SET attempts = attempts + 1, last_attempt_at = ?2, next_attempt_at = ?3, last_error = ?4 "
  "WHERE id = ?1";
static const char SQL_MAIL_REMOVE[] = "DELETE FROM mail_queue WHERE id = ?1";

PwNotification *
pw_notification_copy (const PwNotification *notification)
{
  PwNotification *copy = g_memdup2 (notification, sizeof *notification);

  copy->kind = g_strdup (notification->kind);
  copy->key = g_strdup (notification->key);
  return copy;
}

void
pw_notification_free (PwNotification *notification)
{
  if (notification == NULL)
    return;
  g_free (notification->kind);
  g_free (notification->key);
  g_free (notification);
}

PwQueuedMail *
pw_queued_mail_copy (const PwQueuedMail *mail)
{
  PwQueuedMail *copy = g_memdup2 (mail, sizeof *mail);

  copy->sender = g_strdup (mail->sender);
  copy->recipients = g_strdupv (mail->recipients);
  copy->subject = g_strdup (mail->subject);
  copy->message = mail->message != NULL ? g_bytes_ref (mail->message) : NULL;
  copy->last_error = g_strdup (mail->last_error);
  return copy;
}

void
pw_queued_mail_free (PwQueuedMail *mail)
{
  if (mail == NULL)
    return;
  g_free (mail->sender);
  g_strfreev (mail->recipients);
  g_free (mail->subject);
  g_clear_pointer (&mail->message, g_bytes_unref);
  g_free (mail->last_error);
  g_free (mail);
}

static PwNotification *
notification_from_row (sqlite3_stmt *stmt)
{
  PwNotification *notification = g_new0 (PwNotification, 1);

  notification->id = sqlite3_column_int64 (stmt, 0);
  notification->device_id = sqlite3_column_int64 (stmt, 1);
  notification->kind = _pw_column_dup (stmt, 2);
  notification->key = _pw_column_dup (stmt, 3);
  if (notification->key == NULL)
    notification->key = g_strdup ("");
  notification->first_seen = sqlite3_column_int64 (stmt, 4);
  notification->last_seen = sqlite3_column_int64 (stmt, 5);
  notification->notified_at = sqlite3_column_int64 (stmt, 6);
  notification->cleared_at = sqlite3_column_int64 (stmt, 7);
  return notification;
}

/* Rows of @sql (bound to @device_id when it takes one), under the lock. */
static GPtrArray *
select_notifications (PwStore     *self,
                      const char  *sql,
                      gint64       device_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_notification_free);
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, device_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, notification_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _pw_store_set_error (error, _pw_store_get_db (self), rc);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
same_condition (const PwNotification *a,
                const PwNotification *b)
{
  return g_strcmp0 (a->kind, b->kind) == 0 && g_strcmp0 (a->key != NULL ? a->key : "", b->key) == 0;
}

typedef struct {
  gint64              device_id;
  const char * const *kinds;
  GPtrArray          *present;
  gint64              now;
  GPtrArray          *open;     /* out: the open rows of @kinds after the update */
} UpdateData;

static gboolean
update_write (PwStore  *self,
              gpointer  data,
              GError  **error)
{
  UpdateData *update = data;
  g_autoptr(GPtrArray) before = select_notifications (self, SQL_OPEN_OF_DEVICE, update->device_id, error);
  g_autoptr(GPtrArray) after = NULL;

  if (before == NULL)
    return FALSE;
  /* Gone: cleared, so its return is a new condition. */
  for (guint i = 0; i < before->len; i++)
    {
      const PwNotification *row = before->pdata[i];
      gboolean still = FALSE;

      if (!g_strv_contains (update->kinds, row->kind))
        continue;
      for (guint j = 0; j < update->present->len && !still; j++)
        still = same_condition (update->present->pdata[j], row);
      if (!still)
        {
          g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_CLEAR, error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, row->id);
          sqlite3_bind_int64 (stmt, 2, update->now);
          if (!_pw_store_step_done (self, stmt, error))
            return FALSE;
        }
    }
  /* There: seen again, or new. */
  for (guint i = 0; i < update->present->len; i++)
    {
      const PwNotification *condition = update->present->pdata[i];
      const char *key = condition->key != NULL ? condition->key : "";
      g_autoptr(PwStmt) seen = _pw_store_stmt (self, SQL_SEEN, error);

      if (seen == NULL)
        return FALSE;
      sqlite3_bind_int64 (seen, 1, update->device_id);
      sqlite3_bind_text (seen, 2, condition->kind, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (seen, 3, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (seen, 4, update->now);
      if (!_pw_store_step_done (self, seen, error))
        return FALSE;
      if (sqlite3_changes (_pw_store_get_db (self)) == 0)
        {
          g_autoptr(PwStmt) insert = _pw_store_stmt (self, SQL_INSERT, error);

          if (insert == NULL)
            return FALSE;
          sqlite3_bind_int64 (insert, 1, update->device_id);
          sqlite3_bind_text (insert, 2, condition->kind, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (insert, 3, key, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (insert, 4, condition->first_seen > 0 ? condition->first_seen : update->now);
          sqlite3_bind_int64 (insert, 5, update->now);
          if (!_pw_store_step_done (self, insert, error))
            return FALSE;
        }
    }
  after = select_notifications (self, SQL_OPEN_OF_DEVICE, update->device_id, error);
  if (after == NULL)
    return FALSE;
  update->open = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_notification_free);
  for (guint i = 0; i < after->len; i++)
    if (g_strv_contains (update->kinds, ((PwNotification *) after->pdata[i])->kind))
      g_ptr_array_add (update->open, g_steal_pointer (&after->pdata[i]));
  return TRUE;
}

/**
 * pw_store_notifications_update:
 * @device_id: the device, or 0 for the site's own conditions
 * @kinds: (array zero-terminated=1): the kinds a check looked at: open
 *   conditions of these kinds that are not in @present are cleared
 * @present: (element-type PwNotification): what holds now: kind, key and
 *   first_seen (since when it holds, for one not open yet; 0: @now)
 * @now: unix seconds
 *
 * Records one check of @device_id's conditions, in one transaction.
 *
 * Returns: (transfer full) (element-type PwNotification) (nullable): the
 *   open conditions of @kinds afterwards, told or not
 */
GPtrArray *
pw_store_notifications_update (PwStore             *self,
                               gint64               device_id,
                               const char * const  *kinds,
                               GPtrArray           *present,
                               gint64               now,
                               GError             **error)
{
  UpdateData update = { device_id, kinds, present, now, NULL };

  g_return_val_if_fail (PW_IS_STORE (self), NULL);
  g_return_val_if_fail (kinds != NULL && present != NULL, NULL);

  if (!_pw_store_in_transaction (self, update_write, &update, error))
    {
      g_clear_pointer (&update.open, g_ptr_array_unref);
      return NULL;
    }
  return update.open;
}

/**
 * pw_store_notifications_list:
 * @open_only: only the conditions that still hold
 *
 * Returns: (transfer full) (element-type PwNotification) (nullable): the
 *   conditions, oldest first
 */
GPtrArray *
pw_store_notifications_list (PwStore   *self,
                             gboolean   open_only,
                             GError   **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  rows = select_notifications (self, open_only ? SQL_LIST_OPEN : SQL_LIST_ALL, 0, error);
  _pw_store_unlock (self);
  return rows;
}

/**
 * pw_store_get_status_since:
 * @error_mask: bits of the error state (as PwSnapshot keeps them) that
 *   make the condition, or 0
 * @device_status: an hrDeviceStatus that makes it too, or
 *   %PW_DEVICE_STATUS_NONE
 *
 * Since when the condition has held in every snapshot of the device, up to
 * its latest.
 *
 * Returns: the time of the first snapshot of that run (unix seconds), or 0
 *   when the latest does not show it (or on failure, with @error set)
 */
gint64
pw_store_get_status_since (PwStore         *self,
                           gint64           device_id,
                           guint32          error_mask,
                           PwDeviceStatus   device_status,
                           GError         **error)
{
  gint64 since = 0;

  g_return_val_if_fail (PW_IS_STORE (self), 0);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_STATUS_SINCE, error);

    if (stmt != NULL)
      {
        int rc;

        sqlite3_bind_int64 (stmt, 1, device_id);
        sqlite3_bind_int64 (stmt, 2, error_mask);
        sqlite3_bind_int (stmt, 3, device_status != PW_DEVICE_STATUS_NONE ? (int) device_status : -1);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          since = sqlite3_column_int64 (stmt, 0);
        else if (rc != SQLITE_DONE)
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return since;
}

/* ---- the mail queue ---- */

typedef struct {
  const PwQueuedMail *mail;
  gint64              id;
} MailAddData;

static gboolean
mail_add_write (PwStore  *self,
                gpointer  data,
                GError  **error)
{
  MailAddData *add = data;
  const PwQueuedMail *mail = add->mail;
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, SQL_MAIL_ADD, error);
  g_autofree char *recipients = g_strjoinv ("\n", mail->recipients);
  PwSyncLogEntry entry = { mail->created_at, (char *) "mail-queued", TRUE, NULL, 0, mail->subject };
  gsize len = 0;
  gconstpointer bytes = g_bytes_get_data (mail->message, &len);

  if (stmt == NULL)
    return FALSE;
  /* Told already, by another process that checked at the same time: no second e-mail. */
  if (mail->notification_id > 0)
    {
      g_autoptr(PwStmt) told = _pw_store_stmt (self, SQL_MARK_TOLD, error);

      if (told == NULL)
        return FALSE;
      sqlite3_bind_int64 (told, 1, mail->notification_id);
      sqlite3_bind_int64 (told, 2, mail->created_at);
      if (!_pw_store_step_done (self, told, error))
        return FALSE;
      if (sqlite3_changes (_pw_store_get_db (self)) == 0)
        return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, mail->notification_id);
  sqlite3_bind_int64 (stmt, 2, mail->created_at);
  sqlite3_bind_text (stmt, 3, mail->sender, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, recipients, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, mail->subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 6, bytes != NULL ? bytes : "", len, SQLITE_TRANSIENT);
  if (!_pw_store_step_done (self, stmt, error))
    return FALSE;
  add->id = sqlite3_last_insert_rowid (_pw_store_get_db (self));
  return _pw_store_log_add (self, &entry, error);
}

/**
 * pw_store_mail_queue_add:
 * @mail: its notification_id (0: none), created_at (also when its first
 *   attempt is due), sender, recipients, subject and message
 *
 * Commits a mail to the queue, marks its condition told, and logs
 * "mail-queued", in one transaction. A condition told meanwhile (another
 * process checked at the same time) gets no second mail.
 *
 * Returns: its queue id; 0 with @error set on failure, or 0 without when
 *   the condition was told already
 */
gint64
pw_store_mail_queue_add (PwStore             *self,
                         const PwQueuedMail  *mail,
                         GError             **error)
{
  MailAddData add = { mail, 0 };

  g_return_val_if_fail (PW_IS_STORE (self), 0);
  g_return_val_if_fail (mail != NULL && mail->sender != NULL && mail->recipients != NULL, 0);
  g_return_val_if_fail (mail->subject != NULL && mail->message != NULL, 0);

  return _pw_store_in_transaction (self, mail_add_write, &add, error) ? add.id : 0;
}

/**
 * pw_store_mail_queue_list:
 * @due_at: only mails whose next attempt is due by then (unix seconds), or
 *   0 for all
 *
 * Returns: (transfer full) (element-type PwQueuedMail) (nullable): the
 *   mails, oldest first
 */
GPtrArray *
pw_store_mail_queue_list (PwStore  *self,
                          gint64    due_at,
                          GError  **error)
{
  g_autoptr(GPtrArray) mails = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_queued_mail_free);
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (PW_IS_STORE (self), NULL);

  _pw_store_lock (self);
  {
    g_autoptr(PwStmt) stmt = _pw_store_stmt (self, due_at > 0 ? SQL_MAIL_DUE : SQL_MAIL_ALL, error);

    if (stmt != NULL)
      {
        if (due_at > 0)
          sqlite3_bind_int64 (stmt, 1, due_at);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            PwQueuedMail *mail = g_new0 (PwQueuedMail, 1);
            const char *recipients = (const char *) sqlite3_column_text (stmt, 4);

            mail->id = sqlite3_column_int64 (stmt, 0);
            mail->notification_id = sqlite3_column_int64 (stmt, 1);
            mail->created_at = sqlite3_column_int64 (stmt, 2);
            mail->sender = _pw_column_dup (stmt, 3);
            mail->recipients = g_strsplit (recipients != NULL ? recipients : "", "\n", -1);
            mail->subject = _pw_column_dup (stmt, 5);
            mail->message = g_bytes_new (sqlite3_column_blob (stmt, 6), sqlite3_column_bytes (stmt, 6));
            mail->attempts = sqlite3_column_int (stmt, 7);
            mail->last_attempt_at = sqlite3_column_int64 (stmt, 8);
            mail->next_attempt_at = sqlite3_column_int64 (stmt, 9);
            mail->last_error = _pw_column_dup (stmt, 10);
            g_ptr_array_add (mails, mail);
          }
        if (rc != SQLITE_DONE)
          _pw_store_set_error (error, _pw_store_get_db (self), rc);
      }
  }
  _pw_store_unlock (self);
  return rc == SQLITE_DONE ? g_steal_pointer (&mails) : NULL;
}

typedef struct {
  gint64                 id;
  gboolean               sent;
  gint64                 next_attempt_at;
  const PwSyncLogEntry  *entry;
} MailAttemptData;

static gboolean
mail_attempt_write (PwStore  *self,
                    gpointer  data,
                    GError  **error)
{
  MailAttemptData *attempt = data;
  g_autoptr(PwStmt) stmt = _pw_store_stmt (self, attempt->sent ? SQL_MAIL_REMOVE : SQL_MAIL_ATTEMPT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, attempt->id);
  if (!attempt->sent)
    {
      sqlite3_bind_int64 (stmt, 2, attempt->entry->at);
      sqlite3_bind_int64 (stmt, 3, attempt->next_attempt_at);
      _pw_bind_text (stmt, 4, attempt->entry->message);
    }
  return _pw_store_step_done (self, stmt, error) && _pw_store_log_add (self, attempt->entry, error);
}

/**
 * pw_store_mail_queue_record_attempt:
 * @id: the queued mail
 * @sent: the mail server accepted it: it leaves the queue
 * @next_attempt_at: when not, when to try again (unix seconds)
 * @entry: what happened, for the sync log (its message is also kept as the
 *   mail's last error when not sent)
 *
 * Records one attempt to send a mail, and its log entry, in one transaction.
 */
gboolean
pw_store_mail_queue_record_attempt (PwStore               *self,
                                    gint64                 id,
                                    gboolean               sent,
                                    gint64                 next_attempt_at,
                                    const PwSyncLogEntry  *entry,
                                    GError               **error)
{
  MailAttemptData attempt = { id, sent, next_attempt_at, entry };

  g_return_val_if_fail (PW_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->event != NULL, FALSE);

  return _pw_store_in_transaction (self, mail_attempt_write, &attempt, error);
}
