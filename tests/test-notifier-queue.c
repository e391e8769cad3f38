/* test-notifier-queue.c: e-mails that cannot go yet, and how the notifier is driven.
 *
 * A mail server that refuses (550), stays silent or is down: the check says
 * so in words, the e-mail stays queued (across a restart too) and goes,
 * once, when the server is back. The password from $PRINTWATCH_SMTP_PASSWORD
 * over STARTTLS, and its absence told. The test e-mail; the settings and
 * their environment variables; the agent's hook after a poll and a sync;
 * printwatch-cli notify.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "printwatch-core.h"
#include "pw-test-notifier.h"
#include "pw-test-utils.h"

#include <string.h>

#define HOUR 3600

typedef PwTestNotifier Fixture;

static void
add_low_printer (Fixture    *fixture,
                 const char *host)
{
  PwTestReading low = { .taken_at = fixture->now - 60, .cyan = 5 };

  pw_test_add_reading (fixture, pw_test_add_printer (fixture, host), &low);
}

static GPtrArray *
queue (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *mails = pw_store_mail_queue_list (fixture->store, 0, &error);

  g_assert_no_error (error);
  return mails;
}

static guint
count_received (Fixture *fixture)
{
  g_autoptr(GPtrArray) messages = pw_test_notifier_received (fixture);

  return messages->len;
}

/* The server is back: everything waiting goes, once. */
static void
assert_delivered_when_back (Fixture *fixture,
                            guint    expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = NULL;
  PwNotifySummary summary;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  /* Not due yet: it waits for its time. */
  g_assert_true (pw_test_notifier_flush (fixture, FALSE, &summary, &error));
  g_assert_cmpuint (summary.sent, ==, 0);
  g_assert_cmpuint (summary.waiting, ==, expected);
  g_assert_true (pw_test_notifier_flush (fixture, TRUE, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.sent, ==, expected);
  g_assert_cmpuint (summary.waiting, ==, 0);
  g_assert_cmpuint (count_received (fixture), ==, expected);
  left = queue (fixture);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_null (pw_notifier_dup_last_error (fixture->notifier));
  /* Sent is sent: nothing twice. */
  g_assert_true (pw_test_notifier_flush (fixture, TRUE, &summary, &error));
  g_assert_cmpuint (summary.sent, ==, 0);
  g_assert_cmpuint (pw_test_notifier_check_ok (fixture, PW_NOTIFIER_CHECK_ALL), ==, 0);
  g_assert_cmpuint (count_received (fixture), ==, expected);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *last_error = NULL;
  const PwQueuedMail *mail;
  const PwSyncLogEntry *entry;
  PwNotifySummary summary;

  if (!pw_test_notifier_start_server (fixture, "refuse"))
    return;
  add_low_printer (fixture, "192.0.2.20");
  g_assert_false (pw_test_notifier_check (fixture, &summary, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "550"));
  g_assert_cmpuint (summary.queued, ==, 1);
  g_assert_cmpuint (summary.sent, ==, 0);
  g_assert_cmpuint (summary.waiting, ==, 1);
  g_clear_error (&error);

  mails = queue (fixture);
  g_assert_cmpuint (mails->len, ==, 1);
  mail = mails->pdata[0];
  g_assert_cmpuint (mail->attempts, ==, 1);
  g_assert_nonnull (strstr (mail->last_error, "Recipient address rejected"));
  /* A refusal is not retried soon: someone has to change something first. */
  g_assert_cmpint (mail->next_attempt_at, >=, fixture->now + PW_UPLOADER_BACKOFF_CAP);
  g_assert_cmpstr (g_strv_length (mail->recipients) == 2 ? mail->recipients[1] : NULL, ==, "it@example.com");
  last_error = pw_notifier_dup_last_error (fixture->notifier);
  g_assert_nonnull (strstr (last_error, "550"));
  log = pw_store_sync_log_list (fixture->store, 1, 0, 0, &error);
  entry = log->pdata[0];
  g_assert_cmpstr (entry->event, ==, "mail");
  g_assert_false (entry->ok);
  g_assert_nonnull (strstr (entry->message, "550"));

  /* Checked again: told already, and nothing is due. */
  g_assert_true (pw_test_notifier_check (fixture, &summary, &error));
  g_assert_cmpuint (summary.queued, ==, 0);
  g_assert_cmpuint (summary.waiting, ==, 1);
  assert_delivered_when_back (fixture, 1);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  guint16 port = 0;
  g_autoptr(GSocket) silent = pw_test_silent_server_new (&port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  PwNotifySummary summary;

  pw_notifier_set_server (fixture->notifier, "127.0.0.1", port, PW_SMTP_SECURITY_NONE);
  pw_notifier_set_timeout (fixture->notifier, 1);
  add_low_printer (fixture, "192.0.2.21");
  g_assert_false (pw_test_notifier_check (fixture, &summary, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_TIMEOUT);
  g_assert_cmpuint (summary.waiting, ==, 1);
  mails = queue (fixture);
  g_assert_cmpuint (mails->len, ==, 1);
  /* Silence may pass: tried again within the first back-off step. */
  g_assert_cmpint (((PwQueuedMail *) mails->pdata[0])->next_attempt_at, <=,
                   g_get_real_time () / G_USEC_PER_SEC + 2 * PW_UPLOADER_BACKOFF_BASE);
  pw_notifier_set_timeout (fixture->notifier, 5);
  assert_delivered_when_back (fixture, 1);
}

/* Down: every e-mail of the round waits, without waiting for the server once per e-mail; a
 * restart loses none of them. */
static void
test_down_restart (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  PwNotifySummary summary;

  pw_notifier_set_server (fixture->notifier, "127.0.0.1", pw_test_closed_port (), PW_SMTP_SECURITY_NONE);
  add_low_printer (fixture, "192.0.2.22");
  add_low_printer (fixture, "192.0.2.23");
  g_assert_false (pw_test_notifier_check (fixture, &summary, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_NETWORK);
  g_assert_cmpuint (summary.queued, ==, 2);
  g_assert_cmpuint (summary.waiting, ==, 2);
  mails = queue (fixture);
  for (guint i = 0; i < mails->len; i++)
    {
      g_assert_cmpuint (((PwQueuedMail *) mails->pdata[i])->attempts, ==, 1);
      g_assert_cmpstr (((PwQueuedMail *) mails->pdata[i])->last_error, ==, error->message);
    }

  /* A restart: another notifier on the database opened afresh. */
  g_clear_object (&fixture->notifier);
  g_clear_object (&fixture->store);
  fixture->store = pw_store_open (fixture->db, NULL);
  fixture->notifier = pw_notifier_new (fixture->store);
  g_assert_true (pw_notifier_set_addresses (fixture->notifier, PW_TEST_FROM, pw_test_recipients, NULL));
  assert_delivered_when_back (fixture, 2);
}

static void
test_test_mail (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  const char *text;

  /* Not set up: told so. */
  g_assert_false (pw_test_notifier_send_test (fixture, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG);
  g_clear_error (&error);

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  g_assert_true (pw_test_notifier_send_test (fixture, &error));
  g_assert_no_error (error);
  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[0], "subject"), ==, "Printwatch test e-mail");
  text = pw_test_part_text (messages->pdata[0], "text/plain");
  g_assert_nonnull (strstr (text, "Mail server: 127.0.0.1:"));
  g_assert_nonnull (strstr (text, "Supply low: below 10 %\n"));
  /* Straight out: nothing queued. */
  mails = queue (fixture);
  g_assert_cmpuint (mails->len, ==, 0);
}

/* STARTTLS and AUTH, the password from the environment; without one, told and kept. */
static void
test_password (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwTestPki) pki = pw_test_pki_new (&error);
  PwTestSmtpOptions options = { 0 };
  PwNotifySummary summary;
  g_autoptr(GPtrArray) messages = NULL;

  if (pki == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  options.certificate = pki->server_cert;
  options.key = pki->server_key;
  options.auth = "notify:m4il-s3cret";
  fixture->smtp = pw_test_smtp_start (&options, &error);
  if (fixture->smtp == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_test_skip (error->message);
      return;
    }
  pw_notifier_set_server (fixture->notifier, "127.0.0.1", pw_test_server_get_port (fixture->smtp),
                          PW_SMTP_SECURITY_STARTTLS);
  pw_notifier_set_ca_file (fixture->notifier, pki->ca_file);
  pw_notifier_set_user (fixture->notifier, "notify");
  add_low_printer (fixture, "192.0.2.24");

  g_unsetenv (PW_SECRET_SMTP_PASSWORD_ENV);
  g_assert_false (pw_test_notifier_check (fixture, &summary, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, PW_SECRET_SMTP_PASSWORD_ENV));
  g_assert_cmpuint (summary.waiting, ==, 1);
  g_clear_error (&error);

  g_setenv (PW_SECRET_SMTP_PASSWORD_ENV, "m4il-s3cret", TRUE);
  g_assert_true (pw_test_notifier_flush (fixture, TRUE, &summary, &error));
  g_unsetenv (PW_SECRET_SMTP_PASSWORD_ENV);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.sent, ==, 1);
  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_true (json_object_get_boolean_member (messages->pdata[0], "tls"));
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[0], "auth_login"), ==, "notify");
}

static void
test_configure (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(PwNotifier) notifier = pw_notifier_new (fixture->store);
  g_autoptr(GError) error = NULL;
  const char * const to[] = { "admin@example.com", " it@example.com ", NULL };
  const char * const bad[] = { "admin@example.com", "not an address", NULL };
  PwNotifierRules rules;

  g_settings_set_string (settings, "smtp-server", "mail.example.com");
  g_settings_set_uint (settings, "smtp-port", 465);
  g_settings_set_string (settings, "smtp-security", "tls");
  g_settings_set_string (settings, "mail-from", PW_TEST_FROM);
  g_settings_set_strv (settings, "mail-to", to);
  g_settings_set_int (settings, "notify-supply-below", 15);
  g_settings_set_uint (settings, "notify-unreachable-minutes", 30);
  g_settings_set_boolean (settings, "notify-daily-digest", TRUE);
  g_assert_true (pw_notifier_configure (notifier, settings, &error));
  g_assert_no_error (error);
  g_assert_true (pw_notifier_get_enabled (notifier));
  g_assert_cmpstr (pw_notifier_get_server (notifier), ==, "mail.example.com");
  g_assert_cmpstr (pw_notifier_get_recipients (notifier)[1], ==, "it@example.com");
  pw_notifier_get_rules (notifier, &rules);
  g_assert_cmpuint (rules.supply_below, ==, 15);
  g_assert_cmpuint (rules.unreachable_minutes, ==, 30);
  g_assert_true (rules.critical_alerts && rules.failed_transmissions && rules.daily_digest);

  /* The environment wins, for headless servers. */
  g_setenv (PW_NOTIFIER_ENV_SMTP_SERVER, "relay.example.org", TRUE);
  g_setenv (PW_NOTIFIER_ENV_MAIL_TO, "ops@example.org, desk@example.org", TRUE);
  g_assert_true (pw_notifier_configure (notifier, settings, &error));
  g_assert_cmpstr (pw_notifier_get_server (notifier), ==, "relay.example.org");
  g_assert_cmpuint (g_strv_length ((char **) pw_notifier_get_recipients (notifier)), ==, 2);
  g_assert_cmpstr (pw_notifier_get_recipients (notifier)[1], ==, "desk@example.org");
  g_setenv (PW_NOTIFIER_ENV_SMTP_SECURITY, "ssl", TRUE);
  g_assert_false (pw_notifier_configure (notifier, settings, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_unsetenv (PW_NOTIFIER_ENV_SMTP_SECURITY);
  g_unsetenv (PW_NOTIFIER_ENV_SMTP_SERVER);
  g_unsetenv (PW_NOTIFIER_ENV_MAIL_TO);

  /* An address that is none is refused, in words, and nothing changes. */
  g_settings_set_strv (settings, "mail-to", bad);
  g_assert_false (pw_notifier_configure (notifier, settings, &error));
  g_assert_error (error, PW_SMTP_ERROR, PW_SMTP_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "not an address"));
  g_assert_cmpstr (pw_notifier_get_recipients (notifier)[0], ==, "ops@example.org");
  g_settings_reset (settings, "mail-to");
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the server has @n messages (at most 30 s: the wait of a poll). */
static void
wait_for_messages (Fixture *fixture,
                   guint    n)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (30, timeout_cb, &expired);

  while (!expired && count_received (fixture) < n)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* No collection server: the transmission fails. */
  g_assert_false (pw_agent_sync_finish (PW_AGENT (source), res, NULL, &error));
  g_assert_error (error, PW_AGENT_ERROR, PW_AGENT_ERROR_NO_SERVER);
}

/* The agent tells its notifier about each poll and sync. */
static void
test_agent_hook (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PwAgent) agent = pw_agent_new (fixture->store);
  PwTestReading low = { .taken_at = fixture->now, .cyan = 2 };
  PwPollResult result = { 0 };
  g_autoptr(GPtrArray) messages = NULL;
  gint64 id;

  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  pw_agent_set_notifier (agent, fixture->notifier);
  g_assert_true (pw_agent_get_notifier (agent) == fixture->notifier);
  id = pw_test_add_printer (fixture, "192.0.2.25");
  pw_test_add_reading (fixture, id, &low);

  /* What a poll tells when the printer answered. */
  result.device_id = id;
  result.host = (char *) "192.0.2.25";
  result.port = 161;
  result.ok = TRUE;
  g_signal_emit_by_name (agent, "device-polled", &result);
  wait_for_messages (fixture, 1);

  /* A sync that fails: the transmission is told when it ends. */
  pw_agent_sync_async (agent, PW_AGENT_SYNC_UPLOAD, NULL, synced_cb, NULL);
  wait_for_messages (fixture, 2);

  messages = pw_test_notifier_received (fixture);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[0], "subject"), ==,
                   "Reception MFP: Cyan Toner Cartridge is low (2 %)");
  g_assert_cmpstr (json_object_get_string_member (messages->pdata[1], "subject"), ==,
                   "The transmission to the collection server failed");
  g_assert_nonnull (strstr (pw_test_part_text (messages->pdata[1], "text/plain"), "No collection server is set"));
  pw_agent_set_notifier (agent, NULL);
}

/* printwatch-cli notify, configured by the environment as on a headless server. */
static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  const char *cli = g_getenv ("PW_CLI");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *port = NULL;
  static const char * const runs[][2] = {
    { "--test", "A test e-mail went to admin@example.com, it@example.com.\n" },
    { "--check", "1 e-mail queued, 1 sent, 0 waiting.\n" },
    { NULL, "Mail server" },
  };

  if (cli == NULL)
    {
      g_test_skip ("$PW_CLI names no printwatch-cli");
      return;
    }
  if (!pw_test_notifier_start_server (fixture, NULL))
    return;
  add_low_printer (fixture, "192.0.2.26");
  port = g_strdup_printf ("%u", pw_test_server_get_port (fixture->smtp));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, PW_NOTIFIER_ENV_SMTP_SERVER, "127.0.0.1", TRUE);
  g_subprocess_launcher_setenv (launcher, PW_NOTIFIER_ENV_SMTP_PORT, port, TRUE);
  g_subprocess_launcher_setenv (launcher, PW_NOTIFIER_ENV_SMTP_SECURITY, "none", TRUE);
  g_subprocess_launcher_setenv (launcher, PW_NOTIFIER_ENV_MAIL_FROM, PW_TEST_FROM, TRUE);
  g_subprocess_launcher_setenv (launcher, PW_NOTIFIER_ENV_MAIL_TO, "admin@example.com,it@example.com", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      process = g_subprocess_launcher_spawn (launcher, &error, cli, "--database", fixture->db, "notify", runs[i][0],
                                             NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
        g_error ("notify %s failed:\n%s%s", runs[i][0] != NULL ? runs[i][0] : "", out, err);
      g_assert_nonnull (strstr (out, runs[i][1]));
    }
  g_assert_cmpuint (count_received (fixture), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  pw_test_init (&argc, &argv, TRUE);
  /* No session bus: the keyring is absent, as on a headless server. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/printwatch-test-bus", TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, pw_test_notifier_setup, func, pw_test_notifier_teardown)
  ADD ("/notifier/queue/refused", test_refused);
  ADD ("/notifier/queue/timeout", test_timeout);
  ADD ("/notifier/queue/down-restart", test_down_restart);
  ADD ("/notifier/test-mail", test_test_mail);
  ADD ("/notifier/password", test_password);
  ADD ("/notifier/configure", test_configure);
  ADD ("/notifier/agent-hook", test_agent_hook);
  ADD ("/notifier/cli", test_cli);
#undef ADD

  return g_test_run ();
}
