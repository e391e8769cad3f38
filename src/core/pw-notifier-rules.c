/* pw-notifier-rules.c: the rules, read against the store after a poll or a sync.
 *
 * Runs on a worker thread, under the notifier's lock. Each check records
 * which conditions hold now (pw_store_notifications_update ()), so the
 * store knows since when each has held and whether it was told; an e-mail
 * is queued, in the transaction that marks the condition told, for each
 * condition that holds long enough and was not told yet.
 *
 *   supply-low      a supply below the threshold (pw_supply_get_percent ();
 *                   the special levels, "some remaining" among them, never)
 *   error           hrDeviceStatus down, or an error bit of
 *                   hrPrinterDetectedErrorState, in every snapshot for
 *                   longer than N minutes, as the history shows
 *   unreachable     no answer for longer than N minutes since the last one
 *   critical-alert  an open alert of critical severity (3)
 *   transmission    the last transmission failed (the agent's last error)
 *   digest          once per daily transmission (the scheduler's last slot)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-notifier"

#include "config.h"

#include "pw-notifier-private.h"
#include "pw-agent.h"
#include "pw-mib-names.h"

/* A digest is sent for a daily slot at most this long after it (s). */
#define DIGEST_WINDOW (24 * 3600)
/* RFC 3805 PrtAlertSeverityLevelTC critical. */
#define SEVERITY_CRITICAL 3

static void
condition_free (PwCondition *condition)
{
  g_free (condition->key);
  g_free (condition);
}

static PwCondition *
condition_add (GPtrArray  *conditions,
               const char *kind,
               char       *key,
               gint64      since,
               gboolean    ready)
{
  PwCondition *condition = g_new0 (PwCondition, 1);

  condition->kind = kind;
  condition->key = key;
  condition->since = since;
  condition->ready = ready;
  condition->error_bit = -1;
  g_ptr_array_add (conditions, condition);
  return condition;
}

static PwCondition *
condition_find (GPtrArray            *conditions,
                const PwNotification *row)
{
  for (guint i = 0; i < conditions->len; i++)
    {
      PwCondition *condition = conditions->pdata[i];

      if (g_str_equal (condition->kind, row->kind) && g_str_equal (condition->key, row->key))
        return condition;
    }
  return NULL;
}

static gboolean
queue_mail (PwNotifierJob  *job,
            gint64          notification_id,
            PwMailBody     *body,
            GError        **error)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (job->now);
  g_autoptr(GBytes) message = _pw_mail_build (body, job->sender, (const char * const *) job->recipients, date);
  PwQueuedMail mail = { 0 };
  GError *local_error = NULL;

  mail.notification_id = notification_id;
  mail.created_at = job->now;
  mail.sender = job->sender;
  mail.recipients = job->recipients;
  mail.subject = body->subject;
  mail.message = message;
  if (pw_store_mail_queue_add (job->store, &mail, &local_error) == 0)
    {
      if (local_error == NULL)  /* told by another process meanwhile */
        return TRUE;
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_debug ("Queued “%s”", body->subject);
  job->summary.queued++;
  return TRUE;
}

/* Writes an e-mail about one condition. */
typedef PwMailBody *(*TellFunc) (PwNotifierJob        *job,
                                 gpointer              data,
                                 const PwCondition    *condition,
                                 const PwNotification *row);

/* Records what holds of @kinds for @device_id, and queues an e-mail for
 * each condition that is ready and not told yet. */
static gboolean
record_and_tell (PwNotifierJob       *job,
                 gint64               device_id,
                 const char * const  *kinds,
                 GPtrArray           *conditions,
                 TellFunc             tell,
                 gpointer             data,
                 GError             **error)
{
  g_autoptr(GPtrArray) present = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_notification_free);
  g_autoptr(GPtrArray) open = NULL;

  for (guint i = 0; i < conditions->len; i++)
    {
      const PwCondition *condition = conditions->pdata[i];
      PwNotification *notification = g_new0 (PwNotification, 1);

      notification->kind = g_strdup (condition->kind);
      notification->key = g_strdup (condition->key);
      notification->first_seen = condition->since;
      g_ptr_array_add (present, notification);
    }
  open = pw_store_notifications_update (job->store, device_id, kinds, present, job->now, error);
  if (open == NULL)
    return FALSE;
  for (guint i = 0; i < open->len; i++)
    {
      const PwNotification *row = open->pdata[i];
      const PwCondition *condition = condition_find (conditions, row);
      g_autoptr(PwMailBody) body = NULL;

      if (row->notified_at > 0 || condition == NULL || !condition->ready)
        continue;
      body = tell (job, data, condition, row);
      if (!queue_mail (job, row->id, body, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- one printer ---- */

static PwMailBody *
tell_device (PwNotifierJob        *job,
             gpointer              data,
             const PwCondition    *condition,
             const PwNotification *row)
{
  return _pw_notifier_text_condition (job, data, condition, row->first_seen);
}

static void
find_supplies (PwNotifierJob *job,
               PwSnapshot    *latest,
               GPtrArray     *conditions)
{
  GPtrArray *supplies = pw_snapshot_get_supplies (latest);

  for (guint i = 0; i < supplies->len; i++)
    {
      const PwSupply *supply = supplies->pdata[i];
      int percent = pw_supply_get_percent (supply);
      PwCondition *condition;

      if (percent < 0 || (guint) percent >= job->rules.supply_below)
        continue;
      condition = condition_add (conditions, PW_NOTIFY_SUPPLY_LOW, g_strdup_printf ("%d", supply->index),
                                 pw_snapshot_get_taken_at (latest), TRUE);
      condition->supply = supply;
      condition->percent = percent;
    }
}

/* An error condition is ready once every snapshot for the window showed it. */
static gboolean
find_errors (PwNotifierJob  *job,
             PwDevice       *device,
             PwSnapshot     *latest,
             GPtrArray      *conditions,
             GError        **error)
{
  gint64 taken_at = pw_snapshot_get_taken_at (latest);
  gint64 window = (gint64) job->rules.unreachable_minutes * 60;
  guint32 state = pw_snapshot_get_error_state (latest);
  GError *local_error = NULL;

  if (pw_snapshot_get_device_status (latest) == PW_DEVICE_STATUS_DOWN)
    {
      gint64 since = pw_store_get_status_since (job->store, pw_device_get_id (device), 0, PW_DEVICE_STATUS_DOWN,
                                                &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      since = since > 0 ? since : taken_at;
      condition_add (conditions, PW_NOTIFY_ERROR, g_strdup (PW_NOTIFY_KEY_DOWN), since, taken_at - since >= window);
    }
  for (guint bit = 0; bit < PW_PRINTER_ERROR_BITS; bit++)
    {
      gint64 since;
      PwCondition *condition;

      if (!(state & (1u << bit)) || !_pw_notifier_error_bit_is_error (bit))
        continue;
      since = pw_store_get_status_since (job->store, pw_device_get_id (device), 1u << bit, PW_DEVICE_STATUS_NONE,
                                         &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      since = since > 0 ? since : taken_at;
      condition = condition_add (conditions, PW_NOTIFY_ERROR, g_strdup (pw_mib_printer_error_nick (bit)), since,
                                 taken_at - since >= window);
      condition->error_bit = (int) bit;
    }
  return TRUE;
}

static void
find_alerts (PwSnapshot *latest,
             GPtrArray  *conditions)
{
  GPtrArray *alerts = pw_snapshot_get_alerts (latest);

  for (guint i = 0; i < alerts->len; i++)
    {
      const PwAlert *alert = alerts->pdata[i];
      /* Printers renumber their alert table: what and where, not the row, is the condition. */
      g_autofree char *key = g_strdup_printf ("%d/%d/%d", alert->group, alert->group_index, alert->code);
      PwCondition *condition;
      gboolean again = FALSE;

      if (alert->severity != SEVERITY_CRITICAL)
        continue;
      for (guint j = 0; j < conditions->len && !again; j++)
        again = g_str_equal (((PwCondition *) conditions->pdata[j])->key, key);
      if (again)
        continue;
      condition = condition_add (conditions, PW_NOTIFY_CRITICAL_ALERT, g_steal_pointer (&key),
                                 pw_snapshot_get_taken_at (latest), TRUE);
      condition->alert = alert;
    }
}

static gboolean
check_device (PwNotifierJob  *job,
              PwDevice       *device,
              GError        **error)
{
  g_autoptr(GPtrArray) conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) condition_free);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kinds = NULL;
  PwSnapshot *latest = pw_device_get_latest (device);
  gint64 window = (gint64) job->rules.unreachable_minutes * 60;

  if (job->rules.supply_below > 0)
    {
      g_strv_builder_add (builder, PW_NOTIFY_SUPPLY_LOW);
      if (latest != NULL)
        find_supplies (job, latest, conditions);
    }
  if (window > 0)
    {
      g_strv_builder_add_many (builder, PW_NOTIFY_ERROR, PW_NOTIFY_UNREACHABLE, NULL);
      if (latest != NULL && !find_errors (job, device, latest, conditions, error))
        return FALSE;
      /* Only a printer a poll found silent: one never polled yet has not failed to answer. */
      if (!pw_device_get_reachable (device) &&
          (pw_device_get_last_seen (device) > 0 || pw_device_get_last_error (device) != NULL))
        {
          gint64 since = pw_device_get_last_seen (device) > 0 ? pw_device_get_last_seen (device)
                                                              : pw_device_get_added_at (device);

          condition_add (conditions, PW_NOTIFY_UNREACHABLE, g_strdup (""), since, job->now - since >= window);
        }
    }
  if (job->rules.critical_alerts)
    {
      g_strv_builder_add (builder, PW_NOTIFY_CRITICAL_ALERT);
      if (latest != NULL)
        find_alerts (latest, conditions);
    }
  kinds = g_strv_builder_end (builder);
  return record_and_tell (job, pw_device_get_id (device), (const char * const *) kinds, conditions, tell_device,
                          device, error);
}

static GPtrArray *
load_devices (PwNotifierJob  *job,
              GError        **error)
{
  g_autoptr(GPtrArray) devices = NULL;

  if (job->device_ids == NULL)
    return pw_store_list_devices (job->store, error);
  devices = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < job->device_ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      PwDevice *device = pw_store_get_device (job->store, g_array_index (job->device_ids, gint64, i), &local_error);

      if (device != NULL)
        g_ptr_array_add (devices, device);
      /* Removed meanwhile: nothing to tell about it. */
      else if (!g_error_matches (local_error, PW_STORE_ERROR, PW_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  return g_steal_pointer (&devices);
}

static gboolean
check_devices (PwNotifierJob  *job,
               GError        **error)
{
  g_autoptr(GPtrArray) devices = NULL;

  if (job->rules.supply_below == 0 && job->rules.unreachable_minutes == 0 && !job->rules.critical_alerts)
    return TRUE;
  devices = load_devices (job, error);
  if (devices == NULL)
    return FALSE;
  for (guint i = 0; i < devices->len; i++)
    if (pw_device_get_in_scope (devices->pdata[i]) && !check_device (job, devices->pdata[i], error))
      return FALSE;
  return TRUE;
}

/* ---- the site ---- */

static PwMailBody *
tell_transmission (PwNotifierJob        *job,
                   gpointer              data,
                   const PwCondition    *condition,
                   const PwNotification *row)
{
  return _pw_notifier_text_transmission (job, data, row->first_seen);
}

static gboolean
check_transmission (PwNotifierJob  *job,
                    GError        **error)
{
  static const char * const kinds[] = { PW_NOTIFY_TRANSMISSION, NULL };
  g_autoptr(GPtrArray) conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) condition_free);
  GError *local_error = NULL;
  g_autofree char *last_error = pw_store_get_state (job->store, PW_AGENT_KEY_LAST_ERROR, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (last_error != NULL)
    condition_add (conditions, PW_NOTIFY_TRANSMISSION, g_strdup (""), job->now, TRUE);
  return record_and_tell (job, 0, kinds, conditions, tell_transmission, last_error, error);
}

typedef struct {
  GPtrArray *devices;
  GPtrArray *open;
} DigestData;

static PwMailBody *
tell_digest (PwNotifierJob        *job,
             gpointer              data,
             const PwCondition    *condition,
             const PwNotification *row)
{
  DigestData *digest = data;

  return _pw_notifier_text_digest (job, digest->devices, digest->open);
}

static gboolean
check_digest (PwNotifierJob  *job,
              GError        **error)
{
  static const char * const kinds[] = { PW_NOTIFY_DIGEST, NULL };
  g_autoptr(GPtrArray) conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) condition_free);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autofree char *text = NULL;
  GError *local_error = NULL;
  DigestData digest;
  gint64 slot = 0;

  text = pw_store_get_state (job->store, PW_AGENT_KEY_LAST_SLOT, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (text == NULL || !g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &slot, NULL) ||
      slot > job->now || job->now - slot >= DIGEST_WINDOW)
    return TRUE;
  devices = pw_store_list_devices (job->store, error);
  open = devices != NULL ? pw_store_notifications_list (job->store, TRUE, error) : NULL;
  if (open == NULL)
    return FALSE;
  /* The slot is the key: one digest for each daily transmission. */
  condition_add (conditions, PW_NOTIFY_DIGEST, g_steal_pointer (&text), slot, TRUE);
  digest.devices = devices;
  digest.open = open;
  return record_and_tell (job, 0, kinds, conditions, tell_digest, &digest, error);
}

/**
 * _pw_notifier_evaluate:
 *
 * Reads the rules of @job->checks against the store, and queues the
 * e-mails they call for. On a worker thread, under the notifier's lock.
 */
gboolean
_pw_notifier_evaluate (PwNotifierJob  *job,
                       GError        **error)
{
  if ((job->checks & PW_NOTIFIER_CHECK_DEVICES) && !check_devices (job, error))
    return FALSE;
  if ((job->checks & PW_NOTIFIER_CHECK_TRANSMISSION) && job->rules.failed_transmissions &&
      !check_transmission (job, error))
    return FALSE;
  if ((job->checks & PW_NOTIFIER_CHECK_DIGEST) && job->rules.daily_digest && !check_digest (job, error))
    return FALSE;
  return TRUE;
}
