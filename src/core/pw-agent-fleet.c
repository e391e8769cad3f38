/* pw-agent-fleet.c: the fleet the agent keeps for the GUI.
 *
 * The agent owns one PwFleet, made on first use, and keeps it live: every
 * device any poll of the agent reads (a sync's, "poll now") is read again
 * into it. Whoever changes the store otherwise (a dialog that adds
 * printers, a removal) tells the fleet through the agent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"
#include "pw-fleet.h"
#include "pw-poller.h"

/* The fleet hangs on the agent as data, so the agent's own files stay as
 * they are; it goes with the agent. */
/* Looked up once: sorting 10,000 devices asks for it a million times. */
static GQuark
pw_agent_fleet_quark (void)
{
  static gsize quark;

  if (g_once_init_enter (&quark))
    g_once_init_leave (&quark, g_quark_from_static_string ("pw-agent-fleet"));
  return (GQuark) quark;
}

static void
device_polled_cb (PwAgent      *self,
                  PwPollResult *result,
                  PwFleet      *fleet)
{
  if (result->device_id > 0)
    pw_fleet_refresh_device (fleet, result->device_id);
}

/**
 * pw_agent_get_fleet:
 *
 * The devices of the agent's store with their latest snapshots, loaded
 * (asynchronously) on first use and kept up to date with every poll.
 *
 * Returns: (transfer none): the fleet
 */
PwFleet *
pw_agent_get_fleet (PwAgent *self)
{
  PwFleet *fleet;

  g_return_val_if_fail (PW_IS_AGENT (self), NULL);

  fleet = g_object_get_qdata (G_OBJECT (self), pw_agent_fleet_quark ());
  if (fleet == NULL)
    {
      fleet = pw_fleet_new (self->store);
      g_object_set_qdata_full (G_OBJECT (self), pw_agent_fleet_quark (), fleet, g_object_unref);
      g_signal_connect_object (self, "device-polled", G_CALLBACK (device_polled_cb), fleet, 0);
      pw_fleet_reload_async (fleet, NULL, NULL, NULL);
    }
  return fleet;
}

/**
 * pw_agent_reload_fleet:
 *
 * Reads the whole fleet again: for whoever changed the store (added or
 * removed printers). Rows that did not change stay as they are.
 */
void
pw_agent_reload_fleet (PwAgent *self)
{
  PwFleet *fleet;

  g_return_if_fail (PW_IS_AGENT (self));

  fleet = g_object_get_qdata (G_OBJECT (self), pw_agent_fleet_quark ());
  if (fleet != NULL)
    pw_fleet_reload_async (fleet, NULL, NULL, NULL);
  else
    pw_agent_get_fleet (self);
}

static void
remove_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PwAgent *self = source_object;
  GError *error = NULL;

  if (pw_store_remove_device (self->store, *(gint64 *) task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  PwAgent *self = PW_AGENT (source);
  g_autoptr(GTask) task = user_data;
  PwFleet *fleet = g_object_get_qdata (G_OBJECT (self), pw_agent_fleet_quark ());
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (fleet != NULL)
    pw_fleet_refresh_device (fleet, *(gint64 *) g_task_get_task_data (G_TASK (res)));
  g_task_return_boolean (task, TRUE);
}

/**
 * pw_agent_remove_device_async:
 *
 * Removes a device with all its history, off the main thread, then from
 * the fleet.
 */
void
pw_agent_remove_device_async (PwAgent             *self,
                              gint64               device_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (PW_IS_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_agent_remove_device_async);
  worker = g_task_new (self, cancellable, removed_cb, task);
  g_task_set_task_data (worker, g_memdup2 (&device_id, sizeof device_id), g_free);
  g_task_run_in_thread (worker, remove_worker);
}

gboolean
pw_agent_remove_device_finish (PwAgent       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
