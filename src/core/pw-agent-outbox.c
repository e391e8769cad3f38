/* pw-agent-outbox.c: what a sync reads and writes in the store, each on a worker thread.
 *
 * A sync runs on the main loop; the store is SQLite, and a day's parts of a large fleet are
 * tens of megabytes. So every store access of a sync goes to a worker: committing the
 * day's parts to the outbox, listing what is due (without the payloads), loading the one
 * payload about to be sent, and the notes each step leaves (an upload attempt, a line in
 * the sync log, the sync window's times and last error, what still waits). The main loop
 * only passes pointers and tells the properties that changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"

/* ---- notes ---- */

PwAgentNote *
_pw_agent_note_new (void)
{
  return g_new0 (PwAgentNote, 1);
}

void
_pw_agent_note_free (PwAgentNote *note)
{
  if (note == NULL)
    return;
  g_clear_object (&note->store);
  g_clear_pointer (&note->entry, pw_sync_log_entry_free);
  g_free (note->last_error);
  g_clear_error (&note->error);
  g_free (note);
}

/* Sets a PwSyncLogEntry of @note, its time now. */
void
_pw_agent_note_log (PwAgentNote *note,
                    const char  *event,
                    gboolean     ok,
                    const char  *key,
                    guint        http_status,
                    const char  *message)
{
  PwSyncLogEntry entry = {
    g_get_real_time () / G_USEC_PER_SEC, (char *) event, ok, (char *) key, (gint) http_status, (char *) message,
  };

  g_clear_pointer (&note->entry, pw_sync_log_entry_free);
  note->entry = pw_sync_log_entry_copy (&entry);
}

void
_pw_agent_note_set_last_error (PwAgentNote *note,
                               const char  *message)
{
  note->set_last_error = TRUE;
  g_free (note->last_error);
  note->last_error = g_strdup (message);
}

static void
set_time (PwStore    *store,
          const char *key,
          gint64      when)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (when == 0)
    return;
  text = g_strdup_printf ("%" G_GINT64_FORMAT, when);
  if (!pw_store_set_state (store, key, text, &error))
    g_message ("Cannot record %s: %s", key, error->message);
}

static void
note_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PwAgentNote *note = task_data;
  g_autoptr(GError) error = NULL;

  /* The attempt and its log line in one transaction: a crash keeps both or neither. */
  if (note->outbox_id != 0)
    {
      if (!pw_store_outbox_record_attempt (note->store, note->outbox_id, note->acknowledged,
                                           note->next_attempt_at, note->entry, &note->error))
        {
          g_task_return_pointer (task, note, (GDestroyNotify) _pw_agent_note_free);
          return;
        }
    }
  else if (note->entry != NULL && !pw_store_sync_log_add (note->store, note->entry, &error))
    g_message ("Cannot write the sync log: %s", error->message);
  set_time (note->store, PW_AGENT_KEY_LAST_DATA, note->last_data);
  set_time (note->store, PW_AGENT_KEY_LAST_CONTACT, note->last_contact);
  set_time (note->store, PW_AGENT_KEY_LAST_SUCCESS, note->last_success);
  g_clear_error (&error);
  if (note->set_last_error && !pw_store_set_state (note->store, PW_AGENT_KEY_LAST_ERROR, note->last_error, &error))
    g_message ("Cannot record the last error: %s", error->message);
  g_clear_error (&error);
  if (note->summarize && !pw_store_outbox_get_summary (note->store, &note->waiting, &note->next_due, &error))
    g_message ("Cannot read the outbox: %s", error->message);
  g_task_return_pointer (task, note, (GDestroyNotify) _pw_agent_note_free);
}

/* Writes @note (taken) to the store on a worker thread; not cancellable: what happened is
 * recorded, whatever happens next. */
void
_pw_agent_note_async (PwAgent             *self,
                      PwAgentNote         *note,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, _pw_agent_note_async);
  g_set_object (&note->store, self->store);
  /* Handed back by the worker, which owns it until then. */
  g_task_set_task_data (task, note, NULL);
  g_task_run_in_thread (task, note_worker);
}

/* The note as written, with what waits when it summarized; its error set when recording
 * its upload attempt failed. Tells the properties it changed. */
PwAgentNote *
_pw_agent_note_finish (PwAgent      *self,
                       GAsyncResult *result)
{
  PwAgentNote *note;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  note = g_task_propagate_pointer (G_TASK (result), NULL);
  if (note->last_data != 0)
    g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_LAST_POLL]);
  if (note->last_contact != 0)
    g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_LAST_SERVER_CONTACT]);
  if (note->last_success != 0)
    g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_LAST_SUCCESS]);
  if (note->set_last_error)
    g_object_notify_by_pspec (G_OBJECT (self), _pw_agent_properties[PROP_LAST_ERROR]);
  return note;
}

/* ---- the outbox ---- */

typedef struct {
  PwStore   *store;    /* owned */
  GPtrArray *parts;    /* owned, of PwPayload: to queue */
  gint64     due_at;   /* to list: due by then, or 0 for all */
  gint64     id;       /* to load */
  gboolean   batch;    /* to list: only the oldest batch, loaded; else all due, without payloads */
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->store);
  g_clear_pointer (&job->parts, g_ptr_array_unref);
  g_free (job);
}

static GTask *
job_task (PwAgent             *self,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          Job                **job)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  *job = g_new0 (Job, 1);
  (*job)->store = g_object_ref (self->store);
  g_task_set_task_data (task, *job, (GDestroyNotify) job_free);
  return task;
}

static void
queue_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_outbox_item_free);
  GError *error = NULL;

  for (guint i = 0; i < job->parts->len; i++)
    g_ptr_array_add (items, pw_payload_to_item (job->parts->pdata[i]));
  if (!pw_store_outbox_add_batch (job->store, items, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Commits the day's @parts (of PwPayload) to the outbox, all or none. Not cancellable: a
 * batch built is kept. */
void
_pw_agent_queue_async (PwAgent             *self,
                       GPtrArray           *parts,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Job *job;
  g_autoptr(GTask) task = job_task (self, _pw_agent_queue_async, NULL, callback, user_data, &job);

  job->parts = g_ptr_array_ref (parts);
  g_task_run_in_thread (task, queue_worker);
}

gboolean
_pw_agent_queue_finish (PwAgent       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The payloads of the outbox's oldest batch, loaded: its parts still waiting, in order. */
static GPtrArray *
oldest_batch (PwStore  *store,
              GError  **error)
{
  g_autoptr(GPtrArray) items = pw_store_outbox_list_brief (store, 0, error);
  g_autoptr(GPtrArray) payloads = NULL;
  const PwOutboxItem *first;

  if (items == NULL)
    return NULL;
  payloads = g_ptr_array_new_with_free_func (g_object_unref);
  if (items->len == 0)
    return g_steal_pointer (&payloads);
  first = items->pdata[0];
  for (guint i = 0; i < items->len; i++)
    {
      PwOutboxItem *item = items->pdata[i];

      if (item != first && (first->batch_id == NULL || g_strcmp0 (item->batch_id, first->batch_id) != 0))
        continue;
      item->payload = pw_store_outbox_get_payload (store, item->id, error);
      if (item->payload == NULL)
        return NULL;
      g_ptr_array_add (payloads, pw_payload_new_from_item (item));
      g_clear_pointer (&item->payload, g_bytes_unref);
    }
  return g_steal_pointer (&payloads);
}

static void
list_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  GPtrArray *items = job->batch ? oldest_batch (job->store, &error)
                                : pw_store_outbox_list_brief (job->store, job->due_at, &error);

  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

/* Lists the outbox's items due by @due_at (0: all), without their payloads. */
void
_pw_agent_list_outbox_async (PwAgent             *self,
                             gint64               due_at,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Job *job;
  g_autoptr(GTask) task = job_task (self, _pw_agent_list_outbox_async, cancellable, callback, user_data, &job);

  job->due_at = due_at;
  g_task_run_in_thread (task, list_worker);
}

/* Returns: (transfer full) (element-type PwOutboxItem): oldest first */
GPtrArray *
_pw_agent_list_outbox_finish (PwAgent       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  GBytes *payload = pw_store_outbox_get_payload (job->store, job->id, &error);

  if (payload == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, payload, (GDestroyNotify) g_bytes_unref);
}

/* Loads the payload of outbox item @id, to send it. */
void
_pw_agent_load_payload_async (PwAgent             *self,
                              gint64               id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;
  g_autoptr(GTask) task = job_task (self, _pw_agent_load_payload_async, cancellable, callback, user_data, &job);

  job->id = id;
  g_task_run_in_thread (task, load_worker);
}

GBytes *
_pw_agent_load_payload_finish (PwAgent       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- what goes next ---- */

static void
next_built_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *parts = pw_payload_build_finish (res, &error);

  if (parts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, parts, (GDestroyNotify) g_ptr_array_unref);
}

static void
waiting_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwAgent *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) waiting = g_task_propagate_pointer (G_TASK (res), &error);

  if (waiting == NULL)
    g_task_return_error (task, error);
  else if (waiting->len > 0)
    g_task_return_pointer (task, g_steal_pointer (&waiting), (GDestroyNotify) g_ptr_array_unref);
  else
    pw_payload_build_async (self->store, self->site_name, cancellable, next_built_cb, g_steal_pointer (&task));
}

/**
 * pw_agent_next_payload_async:
 * @fresh: build the payloads the next daily transmission would add, even
 *   when others wait
 *
 * What is sent next, byte for byte: the oldest batch waiting in the
 * outbox (its parts not yet acknowledged), else the one a transmission
 * would build now from the latest readings (not queued). A fleet that fits
 * in one payload has batches of one.
 */
void
pw_agent_next_payload_async (PwAgent             *self,
                             gboolean             fresh,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;
  GTask *waiting;

  g_return_if_fail (PW_IS_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_next_payload_async);
  if (fresh)
    {
      pw_payload_build_async (self->store, self->site_name, cancellable, next_built_cb, g_steal_pointer (&task));
      return;
    }
  waiting = job_task (self, pw_agent_next_payload_async, cancellable, waiting_cb, g_steal_pointer (&task), &job);
  job->batch = TRUE;
  g_task_run_in_thread (waiting, list_worker);
  g_object_unref (waiting);
}

/**
 * pw_agent_next_payload_finish:
 *
 * Returns: (transfer full) (element-type PwPayload): the payloads, in the
 *   order they are sent
 */
GPtrArray *
pw_agent_next_payload_finish (PwAgent       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
