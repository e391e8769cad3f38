/* pw-cli-discover.c: printwatch-cli discover.
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
  PwDiscovery   *discovery;
  GPtrArray     *results;
  GError        *error;
  PwCliProgress  progress;
} Sweep;

static void
draw_progress (Sweep    *sweep,
               gboolean  force)
{
  guint found = pw_discovery_get_found (sweep->discovery);
  g_autofree char *status = g_strdup_printf (ngettext ("%u printer found", "%u printers found", found),
                                             found);

  pw_cli_progress_draw (&sweep->progress, pw_discovery_get_done (sweep->discovery),
                        pw_discovery_get_total (sweep->discovery), status, force);
}

static void
progress_cb (PwDiscovery *discovery,
             Sweep       *sweep)
{
  draw_progress (sweep, FALSE);
}

static void
found_cb (PwDiscovery       *discovery,
          PwDiscoveryResult *result,
          Sweep             *sweep)
{
  g_autofree char *address = NULL;
  const char *vendor, *model;

  if (sweep->progress.tty)
    return;  /* the bar counts them; the table lists them */
  address = pw_address_format (result->host, result->port);
  vendor = pw_snapshot_get_identity (result->identity, PW_IDENTITY_VENDOR);
  model = pw_snapshot_get_identity (result->identity, PW_IDENTITY_MODEL);
  g_printerr (_("Found %s: %s %s\n"), address, vendor != NULL ? vendor : _("unknown vendor"),
              model != NULL ? model : "");
}

static void
swept_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Sweep *sweep = user_data;

  sweep->results = pw_discovery_run_finish (PW_DISCOVERY (source), res, &sweep->error);
  g_main_loop_quit (sweep->loop);
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static void
print_summary (GPtrArray *results,
               guint64    swept,
               double     seconds)
{
  g_autoptr(PwCliTable) printers = NULL;
  guint n_printers = 0, n_duplicates = 0, n_other = 0, n_refused = 0, n_failed = 0;

  printers = pw_cli_table_new (6, _("ADDRESS"), _("VENDOR"), _("MODEL"), _("SERIAL"), _("MAC"),
                               _("NAME"), NULL);
  for (guint i = 0; i < results->len; i++)
    {
      PwDiscoveryResult *result = results->pdata[i];
      g_autofree char *address = pw_address_format (result->host, result->port);

      switch (result->outcome)
        {
        case PW_DISCOVERY_PRINTER:
          if (result->duplicate)
            {
              n_duplicates++;
              break;
            }
          n_printers++;
          pw_cli_table_add_row (printers, address,
                                or_empty (pw_snapshot_get_identity (result->identity, PW_IDENTITY_VENDOR)),
                                or_empty (pw_snapshot_get_identity (result->identity, PW_IDENTITY_MODEL)),
                                or_empty (pw_snapshot_get_identity (result->identity, PW_IDENTITY_SERIAL)),
                                or_empty (pw_snapshot_get_identity (result->identity, PW_IDENTITY_MAC)),
                                or_empty (pw_snapshot_get_identity (result->identity, PW_IDENTITY_SYS_NAME)));
          break;
        case PW_DISCOVERY_OTHER:
          n_other++;
          break;
        case PW_DISCOVERY_REFUSED:
          n_refused++;
          g_printerr (_("%s refused: %s\n"), address, result->message);
          break;
        case PW_DISCOVERY_FAILED:
        default:
          n_failed++;
          g_printerr (_("%s failed: %s\n"), address, result->message);
          break;
        }
    }

  if (n_printers > 0)
    pw_cli_table_print (printers, stdout);
  g_print (_("Swept %llu addresses in %.1f s: %u printers (%u seen on a second address), "
             "%u other SNMP agents, %u refused, %u failed, %llu silent.\n"),
           (unsigned long long) swept, seconds, n_printers, n_duplicates, n_other, n_refused, n_failed,
           (unsigned long long) (swept - MIN (swept, (guint64) results->len)));
}

int
pw_cli_discover (PwCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(PwCliSnmpOptions) options = { 0 };
  g_autofree GOptionEntry *entries = NULL;
  g_autoptr(PwTargetSpec) targets = NULL;
  g_autoptr(GPtrArray) credentials = NULL;
  g_autoptr(PwSnmpEngine) engine = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean allow_large = FALSE, dry_run = FALSE;
  PwCliInterrupt interrupt;
  PwStore *store = NULL;
  Sweep sweep = { 0 };
  gint64 start;
  int status = PW_CLI_EXIT_OK;
  const GOptionEntry own[] = {
    { "allow-large", 0, 0, G_OPTION_ARG_NONE, &allow_large,
      N_("Sweep more than 65,536 addresses"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Report what is found without storing it"), NULL },
    { NULL }
  };

  pw_cli_snmp_options_init (&options);
  entries = pw_cli_snmp_options_entries (&options, own);
  if (!pw_cli_parse_options ("discover", "TARGET…",
                             N_("Find the printers at addresses, ranges (10.0.0.1-10.0.0.80), networks "
                                "(10.0.0.0/24) and host names, each with an optional :PORT."),
                             entries, &argc, &argv, 1, -1, &status))
    return status;
  if ((engine = pw_cli_snmp_options_engine (&options)) == NULL)
    return PW_CLI_EXIT_USAGE;

  targets = pw_target_spec_parse_strv ((const char * const *) argv + 1, PW_SNMP_DEFAULT_PORT,
                                       allow_large ? G_MAXUINT64 : 0, &error);
  if (targets == NULL)
    return pw_cli_fail (error);
  credentials = pw_cli_snmp_options_credentials (&options, &error);
  if (credentials == NULL)
    return pw_cli_fail (error);
  if (!dry_run && (store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);

  sweep.loop = g_main_loop_new (NULL, FALSE);
  sweep.discovery = pw_discovery_new (engine, store);
  pw_cli_progress_init (&sweep.progress);
  g_signal_connect (sweep.discovery, "progress", G_CALLBACK (progress_cb), &sweep);
  g_signal_connect (sweep.discovery, "found", G_CALLBACK (found_cb), &sweep);
  pw_cli_interrupt_init (&interrupt, cancellable);

  start = g_get_monotonic_time ();
  pw_discovery_run_async (sweep.discovery, targets, credentials, cancellable, swept_cb, &sweep);
  g_main_loop_run (sweep.loop);
  draw_progress (&sweep, TRUE);
  pw_cli_progress_end (&sweep.progress);
  pw_cli_interrupt_clear (&interrupt);

  if (sweep.results != NULL)
    print_summary (sweep.results, pw_discovery_get_done (sweep.discovery),
                   (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  else
    status = g_error_matches (sweep.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           ? PW_CLI_EXIT_INTERRUPTED : pw_cli_fail (sweep.error);

  g_clear_error (&sweep.error);
  g_clear_pointer (&sweep.results, g_ptr_array_unref);
  g_clear_object (&sweep.discovery);
  g_main_loop_unref (sweep.loop);
  return status;
}
