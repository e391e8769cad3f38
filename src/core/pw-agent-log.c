/* pw-agent-log.c: the sync log, read off the main thread, for the sync window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"

static void
log_worker (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  PwAgent *self = source_object;
  GError *error = NULL;
  GPtrArray *entries = pw_store_sync_log_list (self->store, GPOINTER_TO_UINT (task_data), 0, 0, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * pw_agent_list_sync_log_async:
 * @limit: the most entries wanted
 *
 * Reads the newest entries of the sync log (pw_store_sync_log_list ()).
 */
void
pw_agent_list_sync_log_async (PwAgent             *self,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_list_sync_log_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (limit), NULL);
  g_task_run_in_thread (task, log_worker);
}

/**
 * pw_agent_list_sync_log_finish:
 *
 * Returns: (transfer full) (element-type PwSyncLogEntry): newest first
 */
GPtrArray *
pw_agent_list_sync_log_finish (PwAgent       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
