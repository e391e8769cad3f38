/* pw-cli-sync.c: printwatch-cli status, payload, sync and daemon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

/* The sync log lines `status` shows. */
#define STATUS_LOG_LINES 10

typedef struct {
  GMainLoop *loop;
  GPtrArray *credentials;
  GError    *error;
} Load;

static void
loaded_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Load *load = user_data;

  load->credentials = pw_agent_load_snmp_credentials_finish (PW_AGENT (source), res, &load->error);
  g_main_loop_quit (load->loop);
}

/* An agent that polls with the SNMP credentials of the command line, or
 * else with the saved credential profiles (and their secrets). */
static PwAgent *
make_polling_agent (PwCli             *cli,
                    PwCliSnmpOptions  *options,
                    GError           **error)
{
  g_autoptr(GPtrArray) credentials = NULL;
  g_autoptr(PwAgent) agent = NULL;

  if (pw_cli_snmp_options_given (options) && (credentials = pw_cli_snmp_options_credentials (options, error)) == NULL)
    return NULL;
  if ((agent = pw_cli_make_agent (cli, error)) == NULL)
    return NULL;
  if (credentials != NULL)
    pw_agent_set_snmp_credentials (agent, credentials);
  else
    {
      Load load = { g_main_loop_new (NULL, FALSE), NULL, NULL };

      pw_agent_load_snmp_credentials_async (agent, NULL, loaded_cb, &load);
      g_main_loop_run (load.loop);
      g_main_loop_unref (load.loop);
      if (load.credentials == NULL)
        {
          g_propagate_error (error, load.error);
          return NULL;
        }
      g_ptr_array_unref (load.credentials);
    }
  return g_steal_pointer (&agent);
}

static void
print_time (const char *label,
            gint64      when,
            gint64      now)
{
  g_autofree char *local = pw_cli_format_time (when);
  g_autofree char *relative = pw_time_describe_relative (when, now);
  g_autofree char *padded = pw_cli_pad (label, 34);

  if (when > 0)
    g_print ("%s %s (%s)\n", padded, local, relative);
  else
    g_print ("%s %s\n", padded, relative);
}

int
pw_cli_status (PwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(GPtrArray) log = NULL;
  guint waiting = 0;
  g_autofree char *last_error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int status = PW_CLI_EXIT_OK;

  if (!pw_cli_parse_options ("status", "", N_("Show the sync window: when Printwatch last heard from the "
                                              "printers and the server, and when it sends next."),
                             NULL, &argc, &argv, 0, 0, &status))
    return status;
  if ((agent = pw_cli_make_agent (cli, &error)) == NULL)
    return pw_cli_fail (error);
  if (!pw_store_outbox_get_summary (pw_agent_get_store (agent), &waiting, NULL, &error))
    return pw_cli_fail (error);
  log = pw_store_sync_log_list (pw_agent_get_store (agent), STATUS_LOG_LINES, 0, 0, &error);
  if (log == NULL)
    return pw_cli_fail (error);

  {
    g_autofree char *server_label = pw_cli_pad (_("Collection server"), 34);
    g_autofree char *site_label = pw_cli_pad (_("Site"), 34);
    g_autofree char *waiting_label = pw_cli_pad (_("Waiting to be sent"), 34);
    g_autofree char *server = pw_text_sanitize (pw_agent_get_server_url (agent) != NULL
                                                ? pw_agent_get_server_url (agent) : _("not set"), -1, 0);

    g_print ("%s %s\n", server_label, server);
    if (pw_agent_get_site_name (agent) != NULL)
      {
        g_autofree char *site = pw_text_sanitize (pw_agent_get_site_name (agent), -1, 0);

        g_print ("%s %s\n", site_label, site);
      }
    print_time (_("Last data from printers"), pw_agent_get_last_poll (agent), now);
    print_time (_("Last contact with the server"), pw_agent_get_last_server_contact (agent), now);
    print_time (_("Last successful transmission"), pw_agent_get_last_success (agent), now);
    print_time (_("Next scheduled transmission"), pw_agent_get_next_sync (agent), now);
    g_print ("%s ", waiting_label);
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u payload\n", "%u payloads\n", waiting), waiting);
  }
  last_error = pw_agent_dup_last_error (agent);
  if (last_error != NULL)
    {
      g_autofree char *label = pw_cli_pad (_("Last error"), 34);
      g_autofree char *safe = pw_text_sanitize (last_error, -1, 0);

      g_print ("%s %s\n", label, safe);
    }

  if (log->len > 0)
    {
      g_autoptr(PwCliTable) table = pw_cli_table_new (4, _("TIME"), _("EVENT"), _("RESULT"), _("DETAILS"), NULL);

      for (guint i = 0; i < log->len; i++)
        {
          const PwSyncLogEntry *entry = log->pdata[i];
          g_autofree char *when = pw_cli_format_time (entry->at);
          g_autofree char *details = entry->http_status > 0
                                     ? g_strdup_printf ("HTTP %d %s", entry->http_status,
                                                        entry->message != NULL ? entry->message : "")
                                     : g_strdup (entry->message);

          pw_cli_table_add_row (table, when, entry->event, entry->ok ? _("ok") : _("failed"), details);
        }
      g_print ("\n");
      pw_cli_table_print (table, stdout);
    }
  return PW_CLI_EXIT_OK;
}

typedef struct {
  GMainLoop     *loop;
  GPtrArray     *payloads;
  GError        *error;
  PwSyncSummary  summary;
  gboolean       ok;
} Wait;

static void
payload_ready_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  Wait *wait = user_data;

  wait->payloads = pw_agent_next_payload_finish (PW_AGENT (source), res, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* One payload on standard output, byte for byte, then a newline if it lacks one. */
static gboolean
write_payload (PwPayload *payload)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (pw_payload_get_bytes (payload), &len);

  return fwrite (data, 1, len, stdout) == len && (len == 0 || data[len - 1] == '\n' || fputc ('\n', stdout) != EOF);
}

int
pw_cli_payload (PwCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(GPtrArray) payloads = NULL;
  Wait wait = { 0 };
  gboolean fresh = FALSE;
  int status = PW_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "new", 'n', 0, G_OPTION_ARG_NONE, &fresh,
      N_("Build the payload the next daily transmission would add, even when others wait"), NULL },
    { NULL }
  };

  if (!pw_cli_parse_options ("payload", "[--new]",
                             N_("Print what Printwatch sends next to the collection server, byte for byte: "
                                "the oldest payload waiting, else the one a transmission would build now "
                                "from the latest readings. A large fleet's payload goes in parts, each "
                                "printed as a JSON document of its own, in the order they are sent."),
                             entries, &argc, &argv, 0, 0, &status))
    return status;
  if ((agent = pw_cli_make_agent (cli, &error)) == NULL)
    return pw_cli_fail (error);
  wait.loop = g_main_loop_new (NULL, FALSE);
  pw_agent_next_payload_async (agent, fresh, NULL, payload_ready_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  if (wait.payloads == NULL)
    {
      status = pw_cli_fail (wait.error);
      g_clear_error (&wait.error);
      return status;
    }
  payloads = wait.payloads;
  for (guint i = 0; i < payloads->len && status == PW_CLI_EXIT_OK; i++)
    {
      PwPayload *payload = payloads->pdata[i];

      /* Which part this is goes to standard error: standard output stays the payloads alone. */
      if (pw_payload_get_part_count (payload) > 1)
        {
          fflush (stdout);
          /* TRANSLATORS: before each part of a payload in parts; the last two are UUIDs */
          g_printerr (_("Part %u of %u of batch %s, payload %s:\n"), pw_payload_get_part_index (payload) + 1,
                      pw_payload_get_part_count (payload), pw_payload_get_batch_id (payload),
                      pw_payload_get_id (payload));
        }
      if (!write_payload (payload))
        status = PW_CLI_EXIT_FAILED;
    }
  if (fflush (stdout) != 0)
    status = PW_CLI_EXIT_FAILED;
  return status;
}

static void
synced_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = pw_agent_sync_finish (PW_AGENT (source), res, &wait->summary, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* Waits for the agent's scheduler to say the daily slot has come. */
static void
due_cb (PwScheduler *scheduler,
        gint64       slot,
        gboolean     manual,
        GMainLoop   *loop)
{
  g_main_loop_quit (loop);
}

int
pw_cli_sync (PwCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(PwCliSnmpOptions) options = { 0 };
  g_autofree GOptionEntry *entries = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean now = FALSE, no_poll = FALSE, retry = FALSE;
  PwAgentSyncFlags flags = PW_AGENT_SYNC_DAILY;
  PwCliInterrupt interrupt;
  Wait wait = { 0 };
  int status = PW_CLI_EXIT_OK;
  const GOptionEntry own[] = {
    { "now", 0, 0, G_OPTION_ARG_NONE, &now, N_("Send now, not at the daily time"), NULL },
    { "no-poll", 0, 0, G_OPTION_ARG_NONE, &no_poll, N_("Send the latest readings without polling first"),
      NULL },
    { "retry", 0, 0, G_OPTION_ARG_NONE, &retry,
      N_("Only send the payloads waiting in the outbox, all of them"), NULL },
    { NULL }
  };

  pw_cli_snmp_options_init (&options);
  entries = pw_cli_snmp_options_entries (&options, own);
  if (!pw_cli_parse_options ("sync", "[--now] [--no-poll] [--retry]",
                             N_("Poll the printers and send their meter reads, supplies and diagnostics to "
                                "the collection server, at the daily time or now."),
                             entries, &argc, &argv, 0, 0, &status))
    return status;
  if ((agent = make_polling_agent (cli, &options, &error)) == NULL)
    return pw_cli_fail (error);
  if (no_poll)
    flags &= ~PW_AGENT_SYNC_POLL;
  if (retry)
    flags = PW_AGENT_SYNC_UPLOAD | PW_AGENT_SYNC_FORCE;

  wait.loop = g_main_loop_new (NULL, FALSE);
  pw_cli_interrupt_init (&interrupt, cancellable);
  if (!now && !retry)
    {
      g_autoptr(PwScheduler) scheduler = pw_scheduler_new (pw_agent_get_store (agent), pw_agent_get_sync_time (agent),
                                                           &error);
      g_autofree char *when = NULL;
      gulong handler;

      if (scheduler == NULL)
        {
          pw_cli_interrupt_clear (&interrupt);
          g_main_loop_unref (wait.loop);
          return pw_cli_fail (error);
        }
      when = pw_cli_format_time (pw_scheduler_get_next_run (scheduler));
      g_printerr (_("Waiting for the daily transmission at %s (Ctrl+C to stop)…\n"), when);
      handler = g_signal_connect (scheduler, "due", G_CALLBACK (due_cb), wait.loop);
      g_cancellable_connect (cancellable, G_CALLBACK (g_main_loop_quit), wait.loop, NULL);
      g_main_loop_run (wait.loop);
      g_signal_handler_disconnect (scheduler, handler);
    }
  if (!g_cancellable_is_cancelled (cancellable))
    {
      pw_agent_sync_async (agent, flags, cancellable, synced_cb, &wait);
      g_main_loop_run (wait.loop);
    }
  pw_cli_interrupt_clear (&interrupt);
  g_main_loop_unref (wait.loop);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (&wait.error);
      g_printerr ("%s\n", _("Interrupted: what was not acknowledged stays in the outbox."));
      return PW_CLI_EXIT_INTERRUPTED;
    }
  /* What it did, when it did anything. */
  if (wait.ok || wait.summary.polled > 0 || wait.summary.queued || wait.summary.sent > 0)
    {
      if (flags & PW_AGENT_SYNC_POLL)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%u of %u printer answered.\n", "%u of %u printers answered.\n",
                              wait.summary.polled), wait.summary.answered, wait.summary.polled);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u payload sent, ", "%u payloads sent, ", wait.summary.sent),
               wait.summary.sent);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u waiting.\n", "%u waiting.\n", wait.summary.waiting),
               wait.summary.waiting);
    }
  if (!wait.ok)
    {
      status = pw_cli_fail (wait.error);
      g_clear_error (&wait.error);
      return status;
    }
  return PW_CLI_EXIT_OK;
}

int
pw_cli_daemon (PwCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(PwCliSnmpOptions) options = { 0 };
  g_autofree GOptionEntry *entries = NULL;
  g_autoptr(PwAgent) agent = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GSettings) settings = pw_cli_open_settings ();
  g_autofree char *next = NULL;
  guint term, intr;
  int status = PW_CLI_EXIT_OK;

  pw_cli_snmp_options_init (&options);
  entries = pw_cli_snmp_options_entries (&options, NULL);
  if (!pw_cli_parse_options ("daemon", "",
                             N_("Run headless: poll and send every day at the daily time, and send what "
                                "waits when the server is back. Stops on SIGTERM or Ctrl+C."),
                             entries, &argc, &argv, 0, 0, &status))
    return status;
  if ((agent = make_polling_agent (cli, &options, &error)) == NULL)
    return pw_cli_fail (error);
  if (!pw_agent_enable_notifications (agent, settings, &error))
    {
      g_message (_("E-mail notifications are off: %s"), error->message);
      g_clear_error (&error);
    }
  if (!pw_agent_start (agent, &error))
    return pw_cli_fail (error);

  next = pw_cli_format_time (pw_agent_get_next_sync (agent));
  g_message (_("Printwatch %s running; next transmission at %s"), PACKAGE_VERSION, next);
  loop = g_main_loop_new (NULL, FALSE);
  term = g_unix_signal_add (SIGTERM, quit_cb, loop);
  intr = g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (term);
  g_source_remove (intr);
  pw_agent_stop (agent);
  g_message ("%s", _("Printwatch stopped"));
  return PW_CLI_EXIT_OK;
}
