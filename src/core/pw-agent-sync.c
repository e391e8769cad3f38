/* pw-agent-sync.c: one sync, and the running agent's schedule.
 *
 * A sync goes: the fleet is polled (each reading committed as it comes);
 * the day's payloads are built (in parts for a large fleet) and committed
 * to the outbox together; then each payload that is due is sent, oldest
 * first, each part on its own. A server that is down or overloaded stops
 * the round (the rest wait for the next); one that rejects a payload moves
 * on to the next. A payload not acknowledged is tried again after an
 * exponential back-off with jitter; a running agent wakes for it.
 *
 * The main loop never waits for the store: each step's reads and writes
 * run on a worker thread (pw-agent-outbox.c), and the payload being sent
 * is loaded from the outbox just before it goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"
#include "pw-payload.h"
#include "pw-poller.h"
#include "pw-secret.h"

#include <glib/gi18n-lib.h>

/* One sync, from poll to the last upload: the task data. */
typedef struct {
  PwAgentSyncFlags  flags;
  PwSyncSummary     summary;
  GPtrArray        *items;   /* owned, of PwOutboxItem without payloads: being sent */
  guint             next;    /* the next item to send */
  GError           *error;   /* owned: the first failure, told at the end */
} Sync;

static void
sync_free (Sync *sync)
{
  g_clear_pointer (&sync->items, g_ptr_array_unref);
  g_clear_error (&sync->error);
  g_free (sync);
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void schedule_retry (PwAgent *self,
                            guint    waiting,
                            gint64   next_due);

static void
finished_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(PwAgentNote) note = _pw_agent_note_finish (self, res);

  sync->summary.waiting = note->waiting;
  self->sync = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_BUSY]);
  schedule_retry (self, note->waiting, note->next_due);
  if (sync->error != NULL)
    g_task_return_error (task, g_steal_pointer (&sync->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The end of a sync: @note (taken, nullable) written, and what still waits read. */
static void
finish (GTask       *task,
        PwAgentNote *note)
{
  if (note == NULL)
    note = _pw_agent_note_new ();
  note->summarize = TRUE;
  _pw_agent_note_async (g_task_get_source_object (task), note, finished_cb, task);
}

/* Ends the sync with @error (taken), unless an earlier failure is told; @note (taken,
 * nullable) says what to record of it. */
static void
fail (GTask       *task,
      GError      *error,
      PwAgentNote *note)
{
  Sync *sync = g_task_get_task_data (task);

  if (sync->error == NULL)
    sync->error = error;
  else
    g_error_free (error);
  finish (task, note);
}

/* Ends the sync with @error, which becomes the last error. */
static void
fail_told (GTask  *task,
           GError *error)
{
  PwAgentNote *note = _pw_agent_note_new ();

  _pw_agent_note_set_last_error (note, error->message);
  fail (task, error, note);
}

/* ---- sending the outbox ---- */

static void send_next (GTask *task);

/* Whether the server itself answered, even with a refusal. */
static gboolean
server_answered (const GError *error)
{
  return error->domain == PW_UPLOADER_ERROR &&
         (error->code == PW_UPLOADER_ERROR_AUTH || error->code == PW_UPLOADER_ERROR_REJECTED ||
          error->code == PW_UPLOADER_ERROR_SERVER || error->code == PW_UPLOADER_ERROR_PROTOCOL);
}

static void
acknowledged_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Sync *sync = g_task_get_task_data (task);
  const PwOutboxItem *item = sync->items->pdata[sync->next];
  g_autoptr(PwAgentNote) note = _pw_agent_note_finish (PW_AGENT (source), res);

  if (note->error != NULL)
    {
      fail (task, g_steal_pointer (&note->error), NULL);
      return;
    }
  /* Said only once it is recorded: tests that kill the process hold the store to it. */
  g_debug ("Acknowledged %s (HTTP %d): out of the outbox", item->idempotency_key, note->entry->http_status);
  sync->summary.sent++;
  sync->next++;
  send_next (task);
}

typedef struct {
  GTask  *task;   /* the sync */
  GError *error;  /* owned: why the upload failed */
} Attempt;

static void
attempted_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Attempt *attempt = user_data;
  GTask *task = attempt->task;
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(PwAgentNote) note = _pw_agent_note_finish (PW_AGENT (source), res);
  g_autoptr(GError) error = g_steal_pointer (&attempt->error);

  g_free (attempt);
  if (note->error != NULL)
    {
      fail (task, g_steal_pointer (&note->error), NULL);
      return;
    }
  /* A payload the server refuses does not stop the others; anything
   * else would fail them all alike. */
  if (g_error_matches (error, PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_REJECTED))
    {
      if (sync->error == NULL)
        sync->error = g_steal_pointer (&error);
      sync->next++;
      send_next (task);
      return;
    }
  fail (task, g_steal_pointer (&error), NULL);
}

static void
uploaded_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  const PwOutboxItem *item = sync->items->pdata[sync->next];
  g_autoptr(GError) error = NULL;
  g_autoptr(PwUploadResult) result = pw_uploader_upload_finish (PW_UPLOADER (source), res, &error);
  PwAgentNote *note;
  gint64 at = now_s ();

  if (result != NULL && result->acknowledged)
    {
      /* Acknowledged: it leaves the outbox with its log entry, at once. */
      note = _pw_agent_note_new ();
      note->outbox_id = item->id;
      note->acknowledged = TRUE;
      _pw_agent_note_log (note, "upload", TRUE, item->idempotency_key, result->http_status,
                          result->duplicate ? _("The server had it already") : _("Stored by the server"));
      note->entry->at = at;
      note->last_contact = note->last_success = at;
      _pw_agent_note_set_last_error (note, NULL);
      _pw_agent_note_async (self, note, acknowledged_cb, task);
      return;
    }

  if (error == NULL)
    error = g_error_new (PW_UPLOADER_ERROR, PW_UPLOADER_ERROR_PROTOCOL,
                         _("The server answered %u without acknowledging the upload"),
                         result != NULL ? result->http_status : 0);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail (task, g_steal_pointer (&error), NULL);
      return;
    }

  {
    /* Not acknowledged: it stays, to be tried again later, longer each time;
     * what retrying cannot fix waits the longest. */
    guint delay = pw_uploader_error_is_retryable (error) ? pw_uploader_backoff_delay (item->attempts + 1, NULL)
                                                         : PW_UPLOADER_BACKOFF_CAP;
    Attempt *attempt = g_new0 (Attempt, 1);

    note = _pw_agent_note_new ();
    note->outbox_id = item->id;
    note->next_attempt_at = at + MAX (delay, RETRY_FLOOR);
    _pw_agent_note_log (note, "upload", FALSE, item->idempotency_key, 0, error->message);
    note->entry->at = at;
    if (server_answered (error))
      note->last_contact = at;
    _pw_agent_note_set_last_error (note, error->message);
    attempt->task = task;
    attempt->error = g_steal_pointer (&error);
    _pw_agent_note_async (self, note, attempted_cb, attempt);
  }
}

static void
payload_loaded_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  const PwOutboxItem *item = sync->items->pdata[sync->next];
  GError *error = NULL;
  g_autoptr(GBytes) payload = _pw_agent_load_payload_finish (self, res, &error);

  if (payload == NULL && g_error_matches (error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND))
    {
      /* Acknowledged meanwhile by another sync of the same store: nothing to send. */
      g_clear_error (&error);
      sync->next++;
      send_next (task);
      return;
    }
  if (payload == NULL)
    {
      fail (task, error, NULL);
      return;
    }
  g_debug ("Sending %s (%" G_GSIZE_FORMAT " bytes, part %u of %u, attempt %u)", item->idempotency_key,
           g_bytes_get_size (payload), item->batch_index + 1, item->batch_count, item->attempts + 1);
  pw_uploader_upload_async (self->uploader, item->idempotency_key, payload, g_task_get_cancellable (task),
                            uploaded_cb, task);
}

static void
send_next (GTask *task)
{
  PwAgent *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);

  if (sync->next >= sync->items->len)
    {
      finish (task, NULL);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      self->sync = NULL;
      g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_BUSY]);
      g_object_unref (task);
      return;
    }
  _pw_agent_load_payload_async (self, ((PwOutboxItem *) sync->items->pdata[sync->next])->id,
                                g_task_get_cancellable (task), payload_loaded_cb, task);
}

static void
secret_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autofree char *secret = pw_secret_lookup_finish (res, &error);

  if (secret == NULL)
    {
      PwAgentNote *note = _pw_agent_note_new ();

      _pw_agent_note_set_last_error (note, error->message);
      _pw_agent_note_log (note, "upload", FALSE, NULL, 0, error->message);
      fail (task, error, note);
      return;
    }
  if (self->auth == AUTH_BEARER)
    pw_uploader_set_auth_bearer (self->uploader, secret);
  else
    pw_uploader_set_auth_basic (self->uploader, self->server_user != NULL ? self->server_user : "", secret);
  send_next (task);
}

static void
listed_outbox_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  GError *error = NULL;

  sync->items = _pw_agent_list_outbox_finish (self, res, &error);
  if (sync->items == NULL)
    {
      fail (task, error, NULL);
      return;
    }
  if (sync->items->len == 0)
    {
      finish (task, NULL);
      return;
    }
  if (self->auth == AUTH_NONE)
    {
      pw_uploader_set_auth_none (self->uploader);
      send_next (task);
      return;
    }
  pw_secret_lookup_async (self->server_url, self->auth == AUTH_BEARER ? PW_SECRET_TOKEN : PW_SECRET_PASSWORD,
                          g_task_get_cancellable (task), secret_cb, task);
}

static void
start_upload (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);

  _pw_agent_list_outbox_async (g_task_get_source_object (task), (sync->flags & PW_AGENT_SYNC_FORCE) ? 0 : now_s (),
                               g_task_get_cancellable (task), listed_outbox_cb, task);
}

/* ---- the payloads ---- */

static void
queued_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  GTask *task = user_data;
  Sync *sync = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_pw_agent_queue_finish (PW_AGENT (source), res, &error))
    {
      fail_told (task, error);
      return;
    }
  sync->summary.queued = TRUE;
  if (sync->flags & PW_AGENT_SYNC_UPLOAD)
    start_upload (task);
  else
    finish (task, NULL);
}

static void
built_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) parts = pw_payload_build_finish (res, &error);

  if (parts == NULL)
    {
      fail_told (task, error);
      return;
    }
  _pw_agent_queue_async (g_task_get_source_object (task), parts, queued_cb, task);
}

static void
queue_or_upload (GTask *task)
{
  PwAgent *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);

  if ((sync->flags & (PW_AGENT_SYNC_QUEUE | PW_AGENT_SYNC_UPLOAD)) && self->server_url == NULL)
    fail_told (task, g_error_new_literal (PW_AGENT_ERROR, PW_AGENT_ERROR_NO_SERVER,
                                          _("No collection server is set: nothing was sent")));
  else if (sync->flags & PW_AGENT_SYNC_QUEUE)
    pw_payload_build_async (self->store, self->site_name, g_task_get_cancellable (task), built_cb, task);
  else if (sync->flags & PW_AGENT_SYNC_UPLOAD)
    start_upload (task);
  else
    finish (task, NULL);
}

/* ---- the poll ---- */

static void
poll_noted_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  /* Only that it ended matters. */
  _pw_agent_note_free (_pw_agent_note_finish (PW_AGENT (source), res));
  queue_or_upload (user_data);
}

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) results = pw_poller_poll_finish (PW_POLLER (source), res, &error);
  g_autofree char *message = NULL;
  PwAgentNote *note;

  g_object_unref (source);
  if (results == NULL)
    {
      fail (task, error, NULL);
      return;
    }
  for (guint i = 0; i < results->len; i++)
    if (((PwPollResult *) results->pdata[i])->ok)
      sync->summary.answered++;
  /* TRANSLATORS: the sync log's line after a poll of the fleet */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u printer answered",
                                          "%u of %u printers answered", results->len),
                             sync->summary.answered, results->len);
  note = _pw_agent_note_new ();
  _pw_agent_note_log (note, "poll", sync->summary.answered > 0 || results->len == 0, NULL, 0, message);
  if (sync->summary.answered > 0)
    note->last_data = now_s ();
  _pw_agent_note_async (self, note, poll_noted_cb, task);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  GTask *task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) devices = pw_store_list_devices_finish (PW_STORE (source), res, &error);
  PwPoller *poller;

  if (devices == NULL)
    {
      fail (task, error, NULL);
      return;
    }
  sync->summary.polled = devices->len;
  if (devices->len == 0)
    {
      queue_or_upload (task);
      return;
    }
  poller = _pw_agent_new_poller (self);
  pw_poller_poll_async (poller, devices, self->credentials, g_task_get_cancellable (task), polled_cb, task);
}

/**
 * pw_agent_sync_async:
 * @flags: what to do: %PW_AGENT_SYNC_DAILY for the daily transmission
 *
 * Polls the fleet, commits the day's payloads to the outbox and sends what
 * the outbox holds, as @flags say. One sync at a time: another fails with
 * %PW_AGENT_ERROR_BUSY.
 */
void
pw_agent_sync_async (PwAgent             *self,
                     PwAgentSyncFlags     flags,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  Sync *sync;

  g_return_if_fail (PW_IS_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_sync_async);
  if (self->sync != NULL)
    {
      g_task_return_new_error (task, PW_AGENT_ERROR, PW_AGENT_ERROR_BUSY, _("A sync is already running"));
      g_object_unref (task);
      return;
    }
  sync = g_new0 (Sync, 1);
  sync->flags = flags;
  g_task_set_task_data (task, sync, (GDestroyNotify) sync_free);
  self->sync = task;
  g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_BUSY]);
  g_clear_handle_id (&self->retry_id, g_source_remove);

  if (flags & PW_AGENT_SYNC_POLL)
    pw_store_list_devices_async (self->store, cancellable, listed_cb, task);
  else
    queue_or_upload (task);
}

/**
 * pw_agent_sync_finish:
 * @summary: (out) (optional): how it went, also on failure
 */
gboolean
pw_agent_sync_finish (PwAgent        *self,
                      GAsyncResult   *result,
                      PwSyncSummary  *summary,
                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (summary != NULL)
    {
      Sync *sync = g_task_get_task_data (G_TASK (result));

      *summary = sync != NULL ? sync->summary : (PwSyncSummary) { 0 };
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the running agent ---- */

static void
scheduled_sync_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PwSyncSummary summary;

  if (!pw_agent_sync_finish (PW_AGENT (source), res, &summary, &error))
    g_message ("Sync: %s", error->message);
  else
    g_message ("Sync: %u of %u printers answered; %u sent, %u waiting", summary.answered, summary.polled,
               summary.sent, summary.waiting);
}

static gboolean
retry_cb (gpointer user_data)
{
  PwAgent *self = user_data;

  self->retry_id = 0;
  if (self->sync == NULL)
    pw_agent_sync_async (self, PW_AGENT_SYNC_UPLOAD, NULL, scheduled_sync_cb, NULL);
  return G_SOURCE_REMOVE;
}

/* While started, wake when the outbox's next payload is due: @waiting of
 * them, the soonest due at @next_due. */
static void
schedule_retry (PwAgent *self,
                guint    waiting,
                gint64   next_due)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->scheduler == NULL || self->server_url == NULL || waiting == 0)
    return;
  self->retry_id = g_timeout_add_seconds ((guint) CLAMP (next_due - now_s (), RETRY_FLOOR, PW_UPLOADER_BACKOFF_CAP),
                                          retry_cb, self);
}

static void
summarized_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  PwAgent *self = PW_AGENT (source);
  g_autoptr(PwAgentNote) note = _pw_agent_note_finish (self, res);

  /* A sync begun meanwhile schedules at its end. */
  if (self->sync == NULL)
    schedule_retry (self, note->waiting, note->next_due);
}

static void
due_cb (PwScheduler *scheduler,
        gint64       slot,
        gboolean     manual,
        PwAgent     *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_NEXT_SYNC]);
  if (self->sync != NULL)
    {
      g_message ("The scheduled sync found one still running");
      return;
    }
  pw_agent_sync_async (self, PW_AGENT_SYNC_DAILY, NULL, scheduled_sync_cb, NULL);
}

/**
 * pw_agent_start:
 *
 * Runs the daily transmission at its time, and sends what waits in the
 * outbox when it is due, until pw_agent_stop ().
 */
gboolean
pw_agent_start (PwAgent  *self,
                GError  **error)
{
  g_autoptr(PwScheduler) scheduler = NULL;

  g_return_val_if_fail (PW_IS_AGENT (self), FALSE);

  if (self->scheduler != NULL)
    return TRUE;
  scheduler = pw_scheduler_new (self->store, self->sync_time, error);
  if (scheduler == NULL)
    return FALSE;
  _pw_agent_start_with (self, scheduler);
  return TRUE;
}

/* pw_agent_start () on a scheduler of the caller's: the tests give one on a fake clock. */
void
_pw_agent_start_with (PwAgent     *self,
                      PwScheduler *scheduler)
{
  g_return_if_fail (self->scheduler == NULL);

  self->scheduler = g_object_ref (scheduler);
  self->due_id = g_signal_connect (self->scheduler, "due", G_CALLBACK (due_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_NEXT_SYNC]);
  {
    PwAgentNote *note = _pw_agent_note_new ();

    note->summarize = TRUE;
    _pw_agent_note_async (self, note, summarized_cb, NULL);
  }
}

void
pw_agent_stop (PwAgent *self)
{
  g_return_if_fail (PW_IS_AGENT (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->scheduler != NULL)
    g_clear_signal_handler (&self->due_id, self->scheduler);
  g_clear_object (&self->scheduler);
}
