/* pw-notifier-send.c: the notifier's jobs: check, flush, the test e-mail,
 * and the timer that sends again what failed.
 *
 * A job copies the settings, looks up the mail server's password when a
 * user name is set (on the main thread: libsecret is async), then runs on a
 * worker thread under the notifier's lock: the rules, then the queue.
 *
 * A failure that is about one e-mail (a 4xx or 5xx reply) leaves the others
 * to be tried; any other (down, silent, sign-in, certificate, no password)
 * would fail them all alike, so the rest of the round is recorded as failed
 * with it, without waiting for the server once per e-mail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-notifier"

#include "config.h"

#include "pw-notifier-private.h"
#include "pw-secret.h"
#include "pw-uploader.h"
#include "pw-uploader-private.h"

#include <glib/gi18n-lib.h>

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
job_free (PwNotifierJob *job)
{
  g_clear_object (&job->store);
  g_clear_pointer (&job->device_ids, g_array_unref);
  g_free (job->sender);
  g_strfreev (job->recipients);
  g_free (job->site_name);
  g_clear_object (&job->smtp);
  g_clear_error (&job->secret_error);
  g_free (job);
}

static PwNotifierJob *
job_new (PwNotifier      *self,
         PwNotifierCheck  checks,
         GArray          *device_ids)
{
  PwNotifierJob *job = g_new0 (PwNotifierJob, 1);

  job->store = g_object_ref (self->store);
  job->lock = &self->lock;
  job->checks = checks;
  if (device_ids != NULL)
    {
      job->device_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), device_ids->len);
      g_array_append_vals (job->device_ids, device_ids->data, device_ids->len);
    }
  job->rules = self->rules;
  job->sender = g_strdup (self->sender);
  job->recipients = g_strdupv (self->recipients);
  job->site_name = g_strdup (self->site_name);
  job->now = now_s ();
  if (self->host != NULL)
    {
      job->smtp = pw_smtp_new (self->host, self->port, self->security);
      pw_smtp_set_ca_file (job->smtp, self->ca_file);
      pw_smtp_set_timeout (job->smtp, self->timeout);
    }
  return job;
}

/* ---- on the worker ---- */

/* Whether the same would happen to every other e-mail of the round. */
static gboolean
fails_all (const GError *error)
{
  return !g_error_matches (error, PW_SMTP_ERROR, PW_SMTP_ERROR_REJECTED) &&
         !g_error_matches (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TEMPORARY);
}

static gboolean
record (PwNotifierJob       *job,
        const PwQueuedMail  *mail,
        const GError        *failure,
        GError             **error)
{
  gint64 at = now_s ();
  g_autofree char *sent = NULL;
  PwSyncLogEntry entry = { at, (char *) "mail", failure == NULL, NULL, 0, NULL };
  guint delay = 0;

  if (failure == NULL)
    {
      g_autofree char *to = g_strjoinv (", ", mail->recipients);

      /* TRANSLATORS: the sync log's line for an e-mail the server accepted: its subject, its recipients */
      entry.message = sent = g_strdup_printf (_("Sent “%s” to %s"), mail->subject, to);
      job->summary.sent++;
    }
  else
    {
      /* Longer each time; what a later try cannot fix waits the longest. */
      delay = pw_smtp_error_is_retryable (failure) ? pw_uploader_backoff_delay (mail->attempts + 1, NULL)
                                                   : PW_UPLOADER_BACKOFF_CAP;
      entry.message = failure->message;
    }
  return pw_store_mail_queue_record_attempt (job->store, mail->id, failure == NULL,
                                             at + MAX (delay, PW_NOTIFIER_RETRY_FLOOR), &entry, error);
}

static gboolean
send_queue (PwNotifierJob  *job,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GPtrArray) mails = pw_store_mail_queue_list (job->store, job->force ? 0 : job->now, error);
  g_autoptr(GError) first = NULL;   /* the first failure, told at the end */
  g_autoptr(GError) shared = NULL;  /* one the rest of the round fails with too */

  if (mails == NULL)
    return FALSE;
  if (job->secret_error != NULL)
    shared = g_error_copy (job->secret_error);
  for (guint i = 0; i < mails->len; i++)
    {
      const PwQueuedMail *mail = mails->pdata[i];
      g_autoptr(GError) failure = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (shared != NULL)
        failure = g_error_copy (shared);
      else if (!pw_smtp_send (job->smtp, mail->sender, (const char * const *) mail->recipients, mail->message,
                              cancellable, &failure))
        {
          if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&failure));
              return FALSE;
            }
          if (fails_all (failure))
            shared = g_error_copy (failure);
        }
      g_debug ("“%s”: %s", mail->subject, failure != NULL ? failure->message : "sent");
      if (!record (job, mail, failure, error))
        return FALSE;
      if (failure != NULL && first == NULL)
        first = g_steal_pointer (&failure);
    }

  if (first != NULL)
    {
      pw_store_set_state (job->store, PW_NOTIFIER_KEY_LAST_ERROR, first->message, NULL);
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  if (job->summary.sent > 0)
    pw_store_set_state (job->store, PW_NOTIFIER_KEY_LAST_ERROR, NULL, NULL);
  return TRUE;
}

static gboolean
send_test (PwNotifierJob  *job,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr(PwMailBody) body = _pw_notifier_text_test (job);
  g_autoptr(GDateTime) date = g_date_time_new_now_local ();
  g_autoptr(GBytes) message = _pw_mail_build (body, job->sender, (const char * const *) job->recipients, date);

  if (job->secret_error != NULL)
    {
      g_propagate_error (error, g_error_copy (job->secret_error));
      return FALSE;
    }
  return pw_smtp_send (job->smtp, job->sender, (const char * const *) job->recipients, message, cancellable,
                       error);
}

static void
job_worker (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  PwNotifierJob *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (job->test)
    ok = send_test (job, cancellable, &error);
  else
    {
      g_autoptr(GPtrArray) waiting = NULL;

      g_mutex_lock (job->lock);
      job->now = now_s ();
      ok = (job->checks == 0 || _pw_notifier_evaluate (job, &error)) && send_queue (job, cancellable, &error);
      waiting = pw_store_mail_queue_list (job->store, 0, NULL);
      job->summary.waiting = waiting != NULL ? waiting->len : 0;
      g_mutex_unlock (job->lock);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ---- on the main thread ---- */

static void schedule_retry (PwNotifier *self);

static void
job_done_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwNotifier *self = PW_NOTIFIER (source);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), _pw_notifier_properties[PROP_LAST_ERROR]);
  schedule_retry (self);
}

static void
run_job (GTask *task)
{
  PwNotifier *self = g_task_get_source_object (task);
  g_autoptr(GTask) worker = g_task_new (self, g_task_get_cancellable (task), job_done_cb, g_object_ref (task));

  g_task_set_source_tag (worker, run_job);
  /* The job belongs to @task, which outlives the worker. */
  g_task_set_task_data (worker, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (worker, job_worker);
}

static void
secret_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwNotifier *self = g_task_get_source_object (task);
  PwNotifierJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  char *password = pw_secret_lookup_finish (res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  if (password == NULL)
    job->secret_error = error;
  pw_smtp_set_credentials (job->smtp, self->user, password);
  _pw_clear_secret (&password);
  run_job (task);
}

/* Starts @job for @task: the password first when there is a user name. */
static void
start_job (PwNotifier    *self,
           GTask         *task,
           PwNotifierJob *job)
{
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (self->user != NULL)
    pw_secret_smtp_lookup_async (self->host, self->user, g_task_get_cancellable (task), secret_cb,
                                 g_object_ref (task));
  else
    run_job (task);
}

static gboolean
finish_job (PwNotifier       *self,
            GAsyncResult     *result,
            PwNotifySummary  *summary,
            GError          **error)
{
  if (summary != NULL)
    {
      PwNotifierJob *job = g_task_get_task_data (G_TASK (result));

      *summary = job != NULL ? job->summary : (PwNotifySummary) { 0 };
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pw_notifier_check_async:
 * @checks: which rules to read
 * @device_ids: (element-type gint64) (nullable): the devices to look at
 *   (the ones a poll just read), or %NULL for all
 *
 * Reads the enabled rules against the store, queues an e-mail for each
 * condition that calls for one and was not told yet, then sends what the
 * queue holds that is due. Nothing happens until e-mail is set up
 * (pw_notifier_get_enabled ()).
 */
void
pw_notifier_check_async (PwNotifier          *self,
                         PwNotifierCheck      checks,
                         GArray              *device_ids,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_NOTIFIER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_notifier_check_async);
  if (!pw_notifier_get_enabled (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  start_job (self, task, job_new (self, checks, device_ids));
}

/**
 * pw_notifier_check_finish:
 * @summary: (out) (optional): what it queued and sent, also on failure
 *
 * Returns: %FALSE when an e-mail could not be sent (it stays queued and is
 *   tried again later) or the store failed
 */
gboolean
pw_notifier_check_finish (PwNotifier       *self,
                          GAsyncResult     *result,
                          PwNotifySummary  *summary,
                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return finish_job (self, result, summary, error);
}

/**
 * pw_notifier_flush_async:
 * @force: send every queued e-mail now, due or not
 *
 * Sends what the queue holds that is due.
 */
void
pw_notifier_flush_async (PwNotifier          *self,
                         gboolean             force,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PwNotifierJob *job;

  g_return_if_fail (PW_IS_NOTIFIER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_notifier_flush_async);
  if (!pw_notifier_get_enabled (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  job = job_new (self, 0, NULL);
  job->force = force;
  start_job (self, task, job);
}

gboolean
pw_notifier_flush_finish (PwNotifier       *self,
                          GAsyncResult     *result,
                          PwNotifySummary  *summary,
                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return finish_job (self, result, summary, error);
}

/**
 * pw_notifier_send_test_async:
 *
 * Sends a test e-mail with the current settings, straight away: not
 * queued, not retried.
 */
void
pw_notifier_send_test_async (PwNotifier          *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PwNotifierJob *job;

  g_return_if_fail (PW_IS_NOTIFIER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_notifier_send_test_async);
  if (!pw_notifier_get_enabled (self))
    {
      g_task_return_new_error (task, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG,
                               _("E-mail is not set up: set the mail server, the sender and a recipient"));
      return;
    }
  job = job_new (self, 0, NULL);
  job->test = TRUE;
  start_job (self, task, job);
}

gboolean
pw_notifier_send_test_finish (PwNotifier    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sending again ---- */

static void
retried_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PwNotifySummary summary = { 0 };

  if (!pw_notifier_flush_finish (PW_NOTIFIER (source), res, &summary, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("E-mail: %s; %u waiting", error->message, summary.waiting);
}

static gboolean
retry_cb (gpointer user_data)
{
  PwNotifier *self = user_data;

  self->retry_id = 0;
  pw_notifier_flush_async (self, FALSE, self->cancellable, retried_cb, NULL);
  return G_SOURCE_REMOVE;
}

/* Wakes when the queue's next e-mail is due. */
static void
schedule_retry (PwNotifier *self)
{
  g_autoptr(GPtrArray) mails = NULL;
  gint64 due = G_MAXINT64, now = now_s ();

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (!pw_notifier_get_enabled (self) || g_cancellable_is_cancelled (self->cancellable))
    return;
  mails = pw_store_mail_queue_list (self->store, 0, NULL);
  for (guint i = 0; mails != NULL && i < mails->len; i++)
    due = MIN (due, ((PwQueuedMail *) mails->pdata[i])->next_attempt_at);
  if (due == G_MAXINT64)
    return;
  self->retry_id = g_timeout_add_seconds ((guint) CLAMP (due - now, PW_NOTIFIER_RETRY_FLOOR, PW_UPLOADER_BACKOFF_CAP),
                                          retry_cb, self);
}
