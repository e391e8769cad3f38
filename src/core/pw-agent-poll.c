/* pw-agent-poll.c: polls the agent runs outside a sync ("poll now").
 *
 * Every poll of the agent, in a sync or not, tells each device's result
 * ("device-polled") and its progress ("poll-progress"), so a window can
 * update its list while a poll runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"
#include "pw-poller.h"

static void
device_polled_cb (PwPoller     *poller,
                  PwPollResult *result,
                  PwAgent      *self)
{
  g_signal_emit (self, _pw_agent_signals[SIGNAL_DEVICE_POLLED], 0, result);
}

static void
progress_cb (PwPoller *poller,
             PwAgent  *self)
{
  g_signal_emit (self, _pw_agent_signals[SIGNAL_POLL_PROGRESS], 0, pw_poller_get_done (poller),
                 pw_poller_get_total (poller));
}

/* A poller on the agent's engine and store whose news the agent passes on. */
PwPoller *
_pw_agent_new_poller (PwAgent *self)
{
  PwPoller *poller = pw_poller_new (pw_agent_get_engine (self), self->store);

  g_signal_connect_object (poller, "device-polled", G_CALLBACK (device_polled_cb), self, 0);
  g_signal_connect_object (poller, "progress", G_CALLBACK (progress_cb), self, 0);
  return poller;
}

/**
 * pw_agent_get_engine:
 *
 * Returns: (transfer none): the SNMP engine the agent polls with
 */
PwSnmpEngine *
pw_agent_get_engine (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);

  if (self->engine == NULL)
    self->engine = pw_snmp_engine_new ();
  return self->engine;
}

/**
 * pw_agent_get_snmp_credentials:
 *
 * Returns: (transfer none) (element-type PwSnmpCredentials): what polls try, in order
 */
GPtrArray *
pw_agent_get_snmp_credentials (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  return self->credentials;
}

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *results = pw_poller_poll_finish (PW_POLLER (source), res, &error);

  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
poll_devices (GTask     *task,
              GPtrArray *devices)
{
  PwAgent *self = g_task_get_source_object (task);
  g_autoptr(PwPoller) poller = _pw_agent_new_poller (self);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_task_set_task_data (task, g_object_ref (poller), g_object_unref);
  pw_poller_poll_async (poller, devices, self->credentials, cancellable, polled_cb, task);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) devices = pw_store_list_devices_finish (PW_STORE (source), res, &error);

  if (devices == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  poll_devices (task, devices);
}

/**
 * pw_agent_poll_async:
 * @devices: (element-type PwDevice) (nullable): the devices, or %NULL for all
 *
 * Polls now; each reading is committed as it comes. Runs beside a sync.
 */
void
pw_agent_poll_async (PwAgent             *self,
                     GPtrArray           *devices,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PW_IS_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_poll_async);
  if (devices != NULL)
    poll_devices (task, devices);
  else
    pw_store_list_devices_async (self->store, cancellable, listed_cb, task);
}

/**
 * pw_agent_poll_finish:
 *
 * Returns: (transfer full) (element-type PwPollResult): each device's result
 */
GPtrArray *
pw_agent_poll_finish (PwAgent       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
