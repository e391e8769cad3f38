/* pw-cli-discover.c: printwatch-cli discover.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "config.h"

#include "pw-cli.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#define BAR_WIDTH 30
/* A terminal line is redrawn at most this often. */
#define REDRAW_USEC (G_USEC_PER_SEC / 10)

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  PwDiscovery  *discovery;
  GPtrArray    *results;
  GError       *error;
  guint         sigint_source;
  gboolean      tty;
  gint64        last_draw;
  guint         last_decile;
} Sweep;

static void
draw_progress (Sweep    *sweep,
               gboolean  force)
{
  guint64 done = pw_discovery_get_done (sweep->discovery);
  guint64 total = MAX (pw_discovery_get_total (sweep->discovery), 1);
  guint found = pw_discovery_get_found (sweep->discovery);
  gint64 now = g_get_monotonic_time ();
  guint filled = (guint) (done * BAR_WIDTH / total);
  char bar[BAR_WIDTH + 1];

  if (sweep->tty)
    {
      if (!force && now - sweep->last_draw < REDRAW_USEC)
        return;
      sweep->last_draw = now;
      for (guint i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
      bar[BAR_WIDTH] = '\0';
      /* TRANSLATORS: a progress line: bar, addresses done of all, printers found */
      g_printerr (ngettext ("\r[%s] %llu/%llu addresses, %u printer found ",
                            "\r[%s] %llu/%llu addresses, %u printers found ", found),
                  bar, (unsigned long long) done,
                  (unsigned long long) pw_discovery_get_total (sweep->discovery), found);
    }
  else
    {
      /* Plain lines for logs: one every tenth of the way. */
      guint decile = (guint) (done * 10 / total);

      if (!force && decile == sweep->last_decile)
        return;
      sweep->last_decile = decile;
      g_printerr (ngettext ("%llu/%llu addresses swept, %u printer found\n",
                            "%llu/%llu addresses swept, %u printers found\n", found),
                  (unsigned long long) done,
                  (unsigned long long) pw_discovery_get_total (sweep->discovery), found);
    }
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

  if (sweep->tty)
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

static gboolean
interrupt_cb (gpointer user_data)
{
  Sweep *sweep = user_data;

  g_printerr ("\n%s\n", _("Stopping; printers found so far are kept…"));
  g_cancellable_cancel (sweep->cancellable);
  sweep->sigint_source = 0;
  return G_SOURCE_REMOVE;
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

/* The credentials the options describe, v3 first; "public" over v2c when none are given. */
static GPtrArray *
make_credentials (char       **communities,
                  const char  *version,
                  const char  *user,
                  const char  *auth_proto,
                  const char  *auth_pass,
                  const char  *priv_proto,
                  const char  *priv_pass,
                  GError     **error)
{
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  PwSnmpVersion community_version = PW_SNMP_VERSION_2C;

  if (g_strcmp0 (version, "1") == 0)
    community_version = PW_SNMP_VERSION_1;
  else if (version != NULL && g_strcmp0 (version, "2c") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an SNMP version for communities: use 1 or 2c"), version);
      return NULL;
    }

  if (user != NULL)
    {
      PwSnmpAuthProtocol auth = PW_SNMP_AUTH_NONE;
      PwSnmpPrivProtocol priv = PW_SNMP_PRIV_NONE;
      PwSnmpCredentials *v3;

      if (auth_pass == NULL)
        auth_pass = g_getenv ("PRINTWATCH_AUTH_PASS");
      if (priv_pass == NULL)
        priv_pass = g_getenv ("PRINTWATCH_PRIV_PASS");
      if ((auth_proto != NULL && !pw_snmp_auth_protocol_parse (auth_proto, &auth, error)) ||
          (priv_proto != NULL && !pw_snmp_priv_protocol_parse (priv_proto, &priv, error)))
        return NULL;
      if (auth_proto == NULL && auth_pass != NULL)
        auth = PW_SNMP_AUTH_SHA256;
      if (priv_proto == NULL && priv_pass != NULL)
        priv = PW_SNMP_PRIV_AES128;
      v3 = pw_snmp_credentials_new_v3 (user, auth, auth_pass, priv, priv_pass, error);
      if (v3 == NULL)
        return NULL;
      g_ptr_array_add (credentials, v3);
    }
  else if (auth_proto != NULL || auth_pass != NULL || priv_proto != NULL || priv_pass != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("SNMPv3 options need --v3-user"));
      return NULL;
    }

  for (guint i = 0; communities != NULL && communities[i] != NULL; i++)
    {
      PwSnmpCredentials *community = pw_snmp_credentials_new_community (community_version,
                                                                        communities[i], error);
      if (community == NULL)
        return NULL;
      g_ptr_array_add (credentials, community);
    }
  if (credentials->len == 0)
    g_ptr_array_add (credentials, pw_snmp_credentials_new_community (community_version, "public", NULL));
  return g_steal_pointer (&credentials);
}

int
pw_cli_discover (PwCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) communities = NULL;
  g_autofree char *version = NULL, *user = NULL, *auth_proto = NULL, *auth_pass = NULL;
  g_autofree char *priv_proto = NULL, *priv_pass = NULL;
  g_autoptr(PwTargetSpec) targets = NULL;
  g_autoptr(GPtrArray) credentials = NULL;
  g_autoptr(PwSnmpEngine) engine = NULL;
  int timeout = PW_SNMP_ENGINE_DEFAULT_TIMEOUT, retries = PW_SNMP_ENGINE_DEFAULT_RETRIES;
  int concurrency = PW_SNMP_ENGINE_DEFAULT_CONCURRENCY, rate = 0;
  gboolean allow_large = FALSE, dry_run = FALSE;
  PwStore *store = NULL;
  Sweep sweep = { 0 };
  gint64 start;
  int status = PW_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "community", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &communities,
      N_("An SNMP community to try (repeat for more; default: public)"), N_("COMMUNITY") },
    { "snmp-version", 0, 0, G_OPTION_ARG_STRING, &version,
      N_("SNMP version for the communities: 1 or 2c (default 2c)"), N_("VERSION") },
    { "v3-user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("An SNMPv3 user to try first"), N_("USER") },
    { "auth-proto", 0, 0, G_OPTION_ARG_STRING, &auth_proto,
      N_("SNMPv3 authentication: SHA-512, SHA-384, SHA-256, SHA-224, SHA, MD5"), N_("PROTOCOL") },
    { "auth-pass", 0, 0, G_OPTION_ARG_STRING, &auth_pass,
      N_("SNMPv3 authentication passphrase (better: $PRINTWATCH_AUTH_PASS)"), N_("PASSPHRASE") },
    { "priv-proto", 0, 0, G_OPTION_ARG_STRING, &priv_proto,
      N_("SNMPv3 privacy: AES-256, AES-192, AES, DES"), N_("PROTOCOL") },
    { "priv-pass", 0, 0, G_OPTION_ARG_STRING, &priv_pass,
      N_("SNMPv3 privacy passphrase (better: $PRINTWATCH_PRIV_PASS)"), N_("PASSPHRASE") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout, N_("Milliseconds to wait for an answer (default 1000)"), N_("MS") },
    { "retries", 'r', 0, G_OPTION_ARG_INT, &retries, N_("Times to ask again (default 1)"), N_("N") },
    { "concurrency", 'j', 0, G_OPTION_ARG_INT, &concurrency,
      N_("Addresses asked at once (default 512)"), N_("N") },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, N_("At most this many packets per second (default: no limit)"), N_("N") },
    { "allow-large", 0, 0, G_OPTION_ARG_NONE, &allow_large,
      N_("Sweep more than 65,536 addresses"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Report what is found without storing it"), NULL },
    { NULL }
  };

  if (!pw_cli_parse_options ("discover", "TARGET…",
                             N_("Find the printers at addresses, ranges (10.0.0.1-10.0.0.80), networks "
                                "(10.0.0.0/24) and host names, each with an optional :PORT."),
                             entries, &argc, &argv, 1, -1, &status))
    return status;
  if (timeout < 1 || retries < 0 || retries > 10 || concurrency < 1 || concurrency > 10000 || rate < 0)
    return pw_cli_usage_error (_("--timeout, --retries, --concurrency and --rate need sensible numbers"));

  targets = pw_target_spec_parse_strv ((const char * const *) argv + 1, PW_SNMP_DEFAULT_PORT,
                                       allow_large ? G_MAXUINT64 : 0, &error);
  if (targets == NULL)
    return pw_cli_fail (error);
  credentials = make_credentials (communities, version, user, auth_proto, auth_pass, priv_proto,
                                  priv_pass, &error);
  if (credentials == NULL)
    return pw_cli_fail (error);
  for (guint i = 0; i < credentials->len; i++)
    {
      g_autofree char *why = NULL;

      if (pw_snmp_credentials_is_weak (credentials->pdata[i], &why) && user != NULL)
        g_printerr (_("Warning: %s\n"), why);
    }
  if (!dry_run && (store = pw_cli_open_store (cli, &error)) == NULL)
    return pw_cli_fail (error);

  engine = pw_snmp_engine_new ();
  pw_snmp_engine_set_timeout (engine, (guint) timeout);
  pw_snmp_engine_set_retries (engine, (guint) retries);
  pw_snmp_engine_set_concurrency (engine, (guint) concurrency);
  pw_snmp_engine_set_rate_limit (engine, (guint) rate);

  sweep.loop = g_main_loop_new (NULL, FALSE);
  sweep.cancellable = g_cancellable_new ();
  sweep.discovery = pw_discovery_new (engine, store);
  sweep.tty = isatty (STDERR_FILENO);
  sweep.last_decile = G_MAXUINT;
  g_signal_connect (sweep.discovery, "progress", G_CALLBACK (progress_cb), &sweep);
  g_signal_connect (sweep.discovery, "found", G_CALLBACK (found_cb), &sweep);
  sweep.sigint_source = g_unix_signal_add (SIGINT, interrupt_cb, &sweep);

  start = g_get_monotonic_time ();
  pw_discovery_run_async (sweep.discovery, targets, credentials, sweep.cancellable, swept_cb, &sweep);
  g_main_loop_run (sweep.loop);
  draw_progress (&sweep, TRUE);
  if (sweep.tty)
    g_printerr ("\n");

  if (sweep.sigint_source != 0)
    g_source_remove (sweep.sigint_source);

  if (sweep.results != NULL)
    print_summary (sweep.results, pw_discovery_get_done (sweep.discovery),
                   (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  else
    status = g_error_matches (sweep.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           ? PW_CLI_EXIT_INTERRUPTED : pw_cli_fail (sweep.error);

  g_clear_error (&sweep.error);
  g_clear_pointer (&sweep.results, g_ptr_array_unref);
  g_clear_object (&sweep.discovery);
  g_clear_object (&sweep.cancellable);
  g_main_loop_unref (sweep.loop);
  return status;
}
