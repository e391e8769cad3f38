/* pw-cli-notify.c: printwatch-cli notify: the e-mail notifications.
 *
 * Without options it shows the mail settings, the conditions still open
 * and the e-mails waiting; --test sends a test e-mail with the settings,
 * --check reads the rules now and sends what they call for, --retry sends
 * every waiting e-mail now. The daemon does --check's work by itself after
 * each poll and sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib/gi18n.h>
#include <stdio.h>

typedef struct {
  GMainLoop       *loop;
  gboolean         ok;
  PwNotifySummary  summary;
  GError          *error;
} Wait;

static void
tested_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = pw_notifier_send_test_finish (PW_NOTIFIER (source), res, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = pw_notifier_check_finish (PW_NOTIFIER (source), res, &wait->summary, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = pw_notifier_flush_finish (PW_NOTIFIER (source), res, &wait->summary, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *padded = pw_cli_pad (label, 24);
  g_autofree char *safe = pw_text_sanitize (value, -1, 0);

  g_print ("%s %s\n", padded, safe);
}

static char *
describe_condition (PwStore              *store,
                    const PwNotification *row)
{
  g_autoptr(PwDevice) device = row->device_id > 0 ? pw_store_get_device (store, row->device_id, NULL) : NULL;
  const char *what = device != NULL ? pw_device_get_display_name (device) : _("this site");

  if (row->key[0] != '\0')
    return g_strdup_printf ("%s: %s %s", what, row->kind, row->key);
  return g_strdup_printf ("%s: %s", what, row->kind);
}

static int
show (PwNotifier *notifier)
{
  PwStore *store = pw_notifier_get_store (notifier);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = pw_store_notifications_list (store, TRUE, &error);
  g_autoptr(GPtrArray) mails = open != NULL ? pw_store_mail_queue_list (store, 0, &error) : NULL;
  g_autofree char *recipients = g_strjoinv (", ", (char **) pw_notifier_get_recipients (notifier));
  g_autofree char *last_error = pw_notifier_dup_last_error (notifier);

  if (mails == NULL)
    return pw_cli_fail (error);
  if (pw_notifier_get_server (notifier) != NULL)
    {
      static const char * const security[] = { "starttls", "tls", "none" };
      /* TRANSLATORS: the mail server, its port, and starttls, tls or none */
      g_autofree char *server = g_strdup_printf (_("%s, port %u, %s"), pw_notifier_get_server (notifier),
                                                 pw_notifier_get_port (notifier),
                                                 security[MIN (pw_notifier_get_security (notifier), 2)]);

      print_field (_("Mail server"), server);
    }
  else
    print_field (_("Mail server"), _("not set"));
  print_field (_("Sender"), pw_notifier_get_sender (notifier) != NULL ? pw_notifier_get_sender (notifier)
                                                                      : _("not set"));
  print_field (_("Recipients"), recipients[0] != '\0' ? recipients : _("not set"));
  if (last_error != NULL)
    print_field (_("Last error"), last_error);

  if (open->len > 0)
    {
      g_autoptr(PwCliTable) table = pw_cli_table_new (3, _("SINCE"), _("CONDITION"), _("E-MAIL"), NULL);

      for (guint i = 0; i < open->len; i++)
        {
          const PwNotification *row = open->pdata[i];
          g_autofree char *since = pw_cli_format_time (row->first_seen);
          g_autofree char *what = describe_condition (store, row);
          g_autofree char *told = row->notified_at > 0 ? pw_cli_format_time (row->notified_at)
                                                       : g_strdup (_("not yet"));

          pw_cli_table_add_row (table, since, what, told);
        }
      g_print ("\n");
      pw_cli_table_print (table, stdout);
    }
  if (mails->len > 0)
    {
      g_autoptr(PwCliTable) table = pw_cli_table_new (4, _("QUEUED"), _("NEXT TRY"), _("SUBJECT"),
                                                      _("LAST ERROR"), NULL);

      for (guint i = 0; i < mails->len; i++)
        {
          const PwQueuedMail *mail = mails->pdata[i];
          g_autofree char *queued = pw_cli_format_time (mail->created_at);
          g_autofree char *next = pw_cli_format_time (mail->next_attempt_at);

          pw_cli_table_add_row (table, queued, next, mail->subject, mail->last_error);
        }
      g_print ("\n");
      pw_cli_table_print (table, stdout);
    }
  else
    g_print ("\n%s\n", _("No e-mail is waiting."));
  return PW_CLI_EXIT_OK;
}

int
pw_cli_notify (PwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = pw_cli_open_settings ();
  g_autoptr(PwNotifier) notifier = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean test = FALSE, check = FALSE, retry = FALSE;
  PwCliInterrupt interrupt;
  Wait wait = { 0 };
  PwStore *store;
  int status = PW_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "test", 0, 0, G_OPTION_ARG_NONE, &test, N_("Send a test e-mail with the settings, now"), NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      N_("Read the rules against the latest readings now, and send what they call for"), NULL },
    { "retry", 0, 0, G_OPTION_ARG_NONE, &retry, N_("Send every waiting e-mail now"), NULL },
    { NULL }
  };

  if (!pw_cli_parse_options ("notify", "[--test|--check|--retry]",
                             N_("E-mail notifications: show the settings, the open conditions and the e-mails "
                                "waiting; or send a test e-mail, check the rules, or send what waits."),
                             entries, &argc, &argv, 0, 0, &status))
    return status;
  if (test + check + retry > 1)
    return pw_cli_usage_error (_("choose one of --test, --check and --retry"));
  if ((store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);
  notifier = pw_notifier_new (store);
  if (!pw_notifier_configure (notifier, settings, &error))
    return pw_cli_fail (error);
  if (!test && !check && !retry)
    return show (notifier);

  wait.loop = g_main_loop_new (NULL, FALSE);
  pw_cli_interrupt_init (&interrupt, cancellable);
  if (test)
    pw_notifier_send_test_async (notifier, cancellable, tested_cb, &wait);
  else if (check)
    pw_notifier_check_async (notifier, PW_NOTIFIER_CHECK_ALL, NULL, cancellable, checked_cb, &wait);
  else
    pw_notifier_flush_async (notifier, TRUE, cancellable, flushed_cb, &wait);
  g_main_loop_run (wait.loop);
  pw_cli_interrupt_clear (&interrupt);
  g_main_loop_unref (wait.loop);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (&wait.error);
      g_printerr ("%s\n", _("Interrupted: what was not sent stays queued."));
      return PW_CLI_EXIT_INTERRUPTED;
    }
  if (test && wait.ok)
    {
      g_autofree char *recipients = g_strjoinv (", ", (char **) pw_notifier_get_recipients (notifier));

      g_print (_("A test e-mail went to %s.\n"), recipients);
    }
  else if (!test && pw_notifier_get_enabled (notifier))
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u e-mail queued, ", "%u e-mails queued, ", wait.summary.queued),
               wait.summary.queued);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u sent, ", "%u sent, ", wait.summary.sent), wait.summary.sent);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u waiting.\n", "%u waiting.\n", wait.summary.waiting),
               wait.summary.waiting);
    }
  else if (!test)
    g_print ("%s\n", _("E-mail is not set up: nothing was checked or sent."));
  if (!wait.ok)
    {
      status = pw_cli_fail (wait.error);
      g_clear_error (&wait.error);
      return status;
    }
  return PW_CLI_EXIT_OK;
}
