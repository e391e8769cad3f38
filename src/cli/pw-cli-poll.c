/* pw-cli-poll.c: printwatch-cli poll.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib/gi18n.h>
#include <stdio.h>

typedef struct {
  GMainLoop     *loop;
  PwPoller      *poller;
  GPtrArray     *results;
  GError        *error;
  PwCliProgress  progress;
  guint          failed;
} Round;

static void
draw_progress (Round    *round,
               gboolean  force)
{
  g_autofree char *status = g_strdup_printf (ngettext ("%u did not answer", "%u did not answer",
                                                       round->failed), round->failed);

  pw_cli_progress_draw (&round->progress, pw_poller_get_done (round->poller),
                        pw_poller_get_total (round->poller), status, force);
}

static void
device_polled_cb (PwPoller     *poller,
                  PwPollResult *result,
                  Round        *round)
{
  if (!result->ok)
    round->failed++;
  draw_progress (round, FALSE);
}

static void
polled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Round *round = user_data;

  round->results = pw_poller_poll_finish (PW_POLLER (source), res, &round->error);
  g_main_loop_quit (round->loop);
}

/* The lowest supply level in percent, or NULL when none is computable. */
static char *
lowest_supply (PwSnapshot *snapshot)
{
  GPtrArray *supplies = pw_snapshot_get_supplies (snapshot);
  int lowest = -1;

  for (guint i = 0; i < supplies->len; i++)
    {
      int percent = pw_supply_get_percent (supplies->pdata[i]);

      if (percent >= 0 && (lowest < 0 || percent < lowest))
        lowest = percent;
    }
  return lowest >= 0 ? g_strdup_printf ("%d%%", lowest) : NULL;
}

static void
print_results (GPtrArray *results)
{
  g_autoptr(PwCliTable) table = pw_cli_table_new (5, _("ADDRESS"), _("TOTAL"), _("LOWEST SUPPLY"),
                                                  _("STATUS"), _("RESULT"), NULL);
  guint ok = 0;

  for (guint i = 0; i < results->len; i++)
    {
      PwPollResult *result = results->pdata[i];
      g_autofree char *address = pw_address_format (result->host, result->port);
      g_autofree char *total = NULL;
      g_autofree char *lowest = NULL;
      g_autofree char *status = NULL;
      gint64 value;

      if (result->ok && result->snapshot != NULL)
        {
          g_auto(GStrv) conditions = pw_snapshot_describe_status (result->snapshot);

          ok++;
          if (pw_snapshot_lookup_counter (result->snapshot, "total", &value))
            total = g_strdup_printf ("%" G_GINT64_FORMAT, value);
          lowest = lowest_supply (result->snapshot);
          status = g_strjoinv (", ", conditions);
        }
      pw_cli_table_add_row (table, address, total, lowest, status,
                            result->ok ? _("read") : result->message);
    }
  pw_cli_table_print (table, stdout);
  g_print (ngettext ("%u of %u printer read.\n", "%u of %u printers read.\n", results->len),
           ok, results->len);
}

int
pw_cli_poll (PwCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(PwCliSnmpOptions) options = { 0 };
  g_autofree GOptionEntry *entries = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) credentials = NULL;
  g_autoptr(PwSnmpEngine) engine = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean all = FALSE;
  PwCliInterrupt interrupt;
  PwStore *store;
  Round round = { 0 };
  int status = PW_CLI_EXIT_OK;
  const GOptionEntry own[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Poll every printer in the list"), NULL },
    { NULL }
  };

  pw_cli_snmp_options_init (&options);
  entries = pw_cli_snmp_options_entries (&options, own);
  if (!pw_cli_parse_options ("poll", "[ADDRESS[:PORT]|ID…] [--all]",
                             N_("Read the meters, supplies, status and alerts of printers in the list."),
                             entries, &argc, &argv, 0, -1, &status))
    return status;
  if ((argc > 1) == all)
    return pw_cli_usage_error (_("name the printers to poll, or give --all"));
  if ((engine = pw_cli_snmp_options_engine (&options)) == NULL)
    return PW_CLI_EXIT_USAGE;
  credentials = pw_cli_snmp_options_credentials (&options, &error);
  if (credentials == NULL)
    return pw_cli_fail (error);
  if ((store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);

  if (all)
    devices = pw_store_list_devices (store, &error);
  else
    {
      devices = g_ptr_array_new_with_free_func (g_object_unref);
      for (int i = 1; i < argc && error == NULL; i++)
        {
          PwDevice *device = pw_cli_resolve_device (store, argv[i], &error);

          if (device != NULL)
            g_ptr_array_add (devices, device);
        }
    }
  if (error != NULL)
    return pw_cli_fail (error);
  if (devices->len == 0)
    {
      g_print ("%s\n", _("No printers yet. Add one with “printwatch-cli add ADDRESS”."));
      return PW_CLI_EXIT_OK;
    }

  round.loop = g_main_loop_new (NULL, FALSE);
  round.poller = pw_poller_new (engine, store);
  pw_cli_progress_init (&round.progress);
  g_signal_connect (round.poller, "device-polled", G_CALLBACK (device_polled_cb), &round);
  pw_cli_interrupt_init (&interrupt, cancellable);

  pw_poller_poll_async (round.poller, devices, credentials, cancellable, polled_cb, &round);
  g_main_loop_run (round.loop);
  draw_progress (&round, TRUE);
  pw_cli_progress_end (&round.progress);
  pw_cli_interrupt_clear (&interrupt);

  if (round.results != NULL)
    print_results (round.results);
  else
    status = g_error_matches (round.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           ? PW_CLI_EXIT_INTERRUPTED : pw_cli_fail (round.error);

  g_clear_error (&round.error);
  g_clear_pointer (&round.results, g_ptr_array_unref);
  g_clear_object (&round.poller);
  g_main_loop_unref (round.loop);
  return status;
}
