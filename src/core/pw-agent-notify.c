/* pw-agent-notify.c: e-mail notifications after each poll and sync.
 *
 * The agent hands its news to a PwNotifier: the devices each poll read
 * ("device-polled", in a sync or a "poll now"), gathered for a moment so
 * one check covers a poll's devices together, and the end of each sync
 * ("busy" back to FALSE): whether the transmission failed, and the daily
 * digest. The notifier reads the rules and sends; the agent only tells it
 * when.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-agent"

#include "config.h"

#include "pw-agent-private.h"
#include "pw-poller.h"

/* Devices polled within this long of each other are checked together (s). */
#define NOTIFY_DELAY 1

static void
checked_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PwNotifySummary summary = { 0 };

  if (!pw_notifier_check_finish (PW_NOTIFIER (source), res, &summary, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("E-mail: %s; %u waiting", error->message, summary.waiting);
    }
  else if (summary.queued > 0 || summary.sent > 0)
    g_debug ("E-mail: %u queued, %u sent, %u waiting", summary.queued, summary.sent, summary.waiting);
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PwNotifySummary summary = { 0 };

  if (!pw_notifier_flush_finish (PW_NOTIFIER (source), res, &summary, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("E-mail: %s; %u waiting", error->message, summary.waiting);
}

/* Checks what there is to check: the devices polled since the last check,
 * and, with @sync_ended, the transmission and the digest. */
static void
check (PwAgent  *self,
       gboolean  sync_ended)
{
  g_autoptr(GArray) polled = g_steal_pointer (&self->polled);
  PwNotifierCheck checks = sync_ended ? PW_NOTIFIER_CHECK_TRANSMISSION | PW_NOTIFIER_CHECK_DIGEST : 0;

  g_clear_handle_id (&self->notify_id, g_source_remove);
  if (polled != NULL)
    checks |= PW_NOTIFIER_CHECK_DEVICES;
  if (checks != 0)
    pw_notifier_check_async (self->notifier, checks, polled, NULL, checked_cb, NULL);
}

static gboolean
check_polled_cb (gpointer user_data)
{
  PwAgent *self = user_data;

  self->notify_id = 0;
  check (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
device_polled_cb (PwAgent      *self,
                  PwPollResult *result,
                  gpointer      user_data)
{
  if (result->device_id <= 0)
    return;
  if (self->polled == NULL)
    self->polled = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < self->polled->len; i++)
    if (g_array_index (self->polled, gint64, i) == result->device_id)
      return;
  g_array_append_val (self->polled, result->device_id);
  if (self->notify_id == 0)
    self->notify_id = g_timeout_add_seconds (NOTIFY_DELAY, check_polled_cb, self);
}

static void
busy_cb (PwAgent    *self,
         GParamSpec *pspec,
         gpointer    user_data)
{
  if (!pw_agent_get_busy (self))
    check (self, TRUE);
}

/**
 * pw_agent_set_notifier:
 * @notifier: (nullable): the notifier to tell after each poll and sync, or
 *   %NULL for no e-mail
 *
 * Also sends at once what the notifier's queue holds that is due (e-mails
 * from before a restart, or from while the mail server was down).
 */
void
pw_agent_set_notifier (PwAgent    *self,
                       PwNotifier *notifier)
{
  g_return_if_fail (PW_IS_AGENT (self));
  g_return_if_fail (notifier == NULL || PW_IS_NOTIFIER (notifier));

  if (self->notifier == notifier)
    return;
  if (self->notifier != NULL)
    {
      g_clear_signal_handler (&self->polled_id, self);
      g_clear_signal_handler (&self->busy_id, self);
      g_clear_handle_id (&self->notify_id, g_source_remove);
      g_clear_pointer (&self->polled, g_array_unref);
      g_clear_object (&self->notifier);
    }
  if (notifier == NULL)
    return;
  self->notifier = g_object_ref (notifier);
  self->polled_id = g_signal_connect (self, "device-polled", G_CALLBACK (device_polled_cb), NULL);
  self->busy_id = g_signal_connect (self, "notify::busy", G_CALLBACK (busy_cb), NULL);
  pw_notifier_flush_async (notifier, FALSE, NULL, flushed_cb, NULL);
}

/**
 * pw_agent_get_notifier:
 *
 * Returns: (transfer none) (nullable): the notifier, if any
 */
PwNotifier *
pw_agent_get_notifier (PwAgent *self)
{
  g_return_val_if_fail (PW_IS_AGENT (self), NULL);
  return self->notifier;
}

/**
 * pw_agent_enable_notifications:
 * @settings: (nullable): Printwatch's GSettings, as for pw_agent_configure ()
 *
 * A notifier on the agent's store, configured from @settings and the
 * environment (pw_notifier_configure ()), told after each poll and sync.
 * It stays quiet while no mail server, sender or recipient is set.
 */
gboolean
pw_agent_enable_notifications (PwAgent    *self,
                               GSettings  *settings,
                               GError    **error)
{
  g_autoptr(PwNotifier) notifier = NULL;

  g_return_val_if_fail (PW_IS_AGENT (self), FALSE);

  notifier = pw_notifier_new (self->store);
  if (!pw_notifier_configure (notifier, settings, error))
    return FALSE;
  pw_agent_set_notifier (self, notifier);
  return TRUE;
}
